using System.Text.Json;

namespace Escala.Core.Registry;

/// <summary>
/// What a caller sends with a model file. <see cref="Department"/> and <see cref="RequireApproval"/>
/// apply when the model is created by this registration (defaults: the key's department, four-eyes on).
/// <see cref="Parent"/> is <c>model:version</c> or a version number of the same model. <see cref="Baseline"/>
/// is the version's baseline profile (built by the server from a reference table), stored with the version.
/// </summary>
public sealed record RegistrationRequest(
    string Model,
    string? Description = null,
    string? Department = null,
    bool? RequireApproval = null,
    JsonElement? Metrics = null,
    JsonElement? Params = null,
    IReadOnlyDictionary<string, string>? Tags = null,
    string? DataFingerprint = null,
    string? CodeRevision = null,
    string? PipelineRun = null,
    string? Parent = null,
    string? Card = null,
    Monitoring.Baselines.BaselineProfile? Baseline = null);

/// <summary>A change to a model's settings; null fields stay as they are.</summary>
public sealed record ModelChange(string? Description = null, string? Department = null, bool? RequireApproval = null);

using System.Text.Json;
using Escala.Core.Registry;

namespace Escala.Server.Registry;

/// <summary>
/// The JSON part named <c>metadata</c> of a registration upload (multipart/form-data, with the model
/// in the part named <c>file</c>). <c>department</c> and <c>requireApproval</c> apply when this
/// registration creates the model.
/// </summary>
public sealed record RegisterVersionMetadata(
    string? Description = null,
    string? Department = null,
    bool? RequireApproval = null,
    JsonElement? Metrics = null,
    JsonElement? Params = null,
    Dictionary<string, string>? Tags = null,
    string? DataFingerprint = null,
    string? CodeRevision = null,
    string? PipelineRun = null,
    string? Parent = null,
    string? Card = null);

/// <summary>A model in a listing.</summary>
public sealed record ModelResponse(
    string Name, string? Description, string? Department, bool RequireApproval,
    int VersionCount, int? LatestVersion, int? ProductionVersion, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt)
{
    /// <summary>The response for a summary.</summary>
    public static ModelResponse From(ModelSummary s) => new(
        s.Model.Name, s.Model.Description, s.Model.Department, s.Model.RequireApproval,
        s.VersionCount, s.LatestVersion, s.ProductionVersion, s.Model.CreatedAt, s.Model.CreatedBy, s.Model.UpdatedAt);
}

/// <summary>A model with its versions and aliases.</summary>
public sealed record ModelDetailResponse(
    string Name, string? Description, string? Department, bool RequireApproval, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset UpdatedAt, IReadOnlyList<VersionResponse> Versions, IReadOnlyDictionary<string, int> Aliases);

/// <summary>The lineage of a version, with the parent written <c>model:version</c>.</summary>
public sealed record LineageResponse(string? DataFingerprint, string? PipelineRun, string? CodeRevision, string? Parent);

/// <summary>A model version (with a summary of its baseline profile, when it has one).</summary>
public sealed record VersionResponse(
    string Model,
    int Version,
    Stage Stage,
    string ArtifactSha256,
    long SizeBytes,
    string? Description,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, string> Tags,
    LineageResponse Lineage,
    ModelSignature? Signature,
    IReadOnlyList<string> Aliases,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    Core.Monitoring.Baselines.BaselineSummary? Baseline = null)
{
    /// <summary>The response for a version and the aliases pointing at it.</summary>
    public static VersionResponse From(ModelVersion v, IEnumerable<ModelAlias> aliases) => new(
        v.Model, v.Version, v.Stage, v.Artifact.Sha256, v.SizeBytes, v.Description, v.Metrics, v.Params, v.Tags,
        new LineageResponse(v.Lineage.DataFingerprint, v.Lineage.PipelineRun, v.Lineage.CodeRevision, v.Lineage.Parent?.ToString()),
        v.Signature,
        [.. aliases.Where(a => a.Version == v.Version).Select(a => a.Alias)],
        v.CreatedAt,
        v.CreatedBy);
}

/// <summary>A change to a model's settings (description: scientist; department and four-eyes: admin).</summary>
public sealed record UpdateModelRequest(string? Description = null, string? Department = null, bool? RequireApproval = null);

/// <summary>A stage change request.</summary>
public sealed record StageChangeRequest(string Stage, string? Comment = null);

/// <summary>The outcome of a stage change: applied (200) or waiting for approval (202, with the request).</summary>
public sealed record StageChangeResponse(VersionResponse Version, ApprovalRequest? Approval);

/// <summary>Where an alias should point.</summary>
public sealed record SetAliasRequest(int Version);

/// <summary>A model card body.</summary>
public sealed record CardRequest(string Markdown);

/// <summary>A model card: the markdown, whether it was generated from metadata, and who last wrote it.</summary>
public sealed record CardResponse(string Model, int Version, string Markdown, bool Generated, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>A decision on an approval request.</summary>
public sealed record DecisionRequest(string? Comment = null);

/// <summary>The outcome of an approval: the decided request and the version's new state.</summary>
public sealed record ApprovalOutcomeResponse(ApprovalRequest Request, VersionResponse? Version);

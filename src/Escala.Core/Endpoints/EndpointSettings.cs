using System.Text.Json;

namespace Escala.Core.Endpoints;

/// <summary>
/// How an endpoint serves, beyond which version answers.
/// </summary>
/// <param name="DeadlineMs">How long one version may take before the fallback chain answers; null uses the gateway's default.</param>
/// <param name="DefaultAnswer">
/// The last link of the fallback chain: one row of outputs by name (e.g. <c>{"label": 0, "probability": [1, 0]}</c>),
/// repeated for every row of a request, returned and flagged as a fallback when every version failed.
/// </param>
/// <param name="LogSampleRate">The share of requests written to the prediction log, from 0 (none) to 1 (all).</param>
/// <param name="SubjectField">The request field that identifies the subject for sticky A/B assignment, when not sent as <c>X-Escala-Subject</c>.</param>
/// <param name="MemoryBudgetBytes">
/// The bytes one prediction may allocate in the in-process engine (outputs, intermediates and scratch together),
/// checked before every allocation; null uses the gateway's default (256 MiB).
/// </param>
/// <param name="StageRules">Which stages may take which share of live answers; null follows the server's rules (<c>Gateway:StageRules</c>). Only an admin changes them.</param>
public sealed record EndpointSettings(
    int? DeadlineMs = null,
    JsonElement? DefaultAnswer = null,
    double LogSampleRate = 1.0,
    string? SubjectField = null,
    long? MemoryBudgetBytes = null,
    StageRules? StageRules = null)
{
    /// <summary>The smallest memory budget accepted (1 MiB): below it few models could answer one row.</summary>
    public const long MinMemoryBudgetBytes = 1L << 20;

    /// <summary>The largest memory budget accepted (16 GiB): a typo guard, like the deadline's.</summary>
    public const long MaxMemoryBudgetBytes = 16L << 30;

    /// <summary>The settings of a new endpoint.</summary>
    public static readonly EndpointSettings Defaults = new();

    /// <summary>The longest deadline accepted: a typo guard (an hour-long prediction is a batch job).</summary>
    public const int MaxDeadlineMs = 600_000;
}

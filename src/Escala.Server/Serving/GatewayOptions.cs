namespace Escala.Server.Serving;

/// <summary>The gateway's settings (configuration section <c>Gateway</c>); per-endpoint settings override the deadline.</summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Gateway";

    /// <summary>The deadline of an endpoint that sets none. Zero or negative means no deadline.</summary>
    public TimeSpan DefaultDeadline { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The bytes one prediction may allocate in the in-process engine for an endpoint that sets none
    /// (<c>memoryBudgetBytes</c> in its settings): 256 MiB. Checked before every allocation of a run.
    /// </summary>
    public long DefaultMemoryBudgetBytes { get; set; } = Escala.Onnx.OnnxSessionOptions.DefaultMaxRunBytes;

    /// <summary>How long a warm-up run may take before it is stopped (the version is still served).</summary>
    public TimeSpan WarmupTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest prediction request body (OIP v2 or records), in bytes; larger ones get 413.</summary>
    public long MaxPredictionBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Shadow copies waiting to run; when full, new copies are dropped and counted (the answer is never delayed).</summary>
    public int ShadowQueueCapacity { get; set; } = 1_000;

    /// <summary>The tumbling window of a shadow's agreement with its primary, as <c>escala endpoints show</c> reports it (default one hour).</summary>
    public TimeSpan ShadowAgreementWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an external backend may take to answer its metadata and readiness checks when it is deployed.</summary>
    public TimeSpan ExternalCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Which stages may take which share of live answers on endpoints that set no rules of their own
    /// (<c>Gateway:StageRules:Production|Staging|None|Archived</c> = off, shadow, partial or full).
    /// </summary>
    /// <remarks>A fresh instance, never the shared default: the configuration binder sets the record's properties in place.</remarks>
    public Escala.Core.Endpoints.StageRules StageRules { get; set; } = new();

    /// <summary>The largest answer read from an external backend (metadata or prediction); larger ones are refused as errors.</summary>
    public long MaxExternalResponseBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How often timed canaries are checked for a due step.</summary>
    public TimeSpan CanaryTick { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often endpoints with a version that could not be loaded (or an external backend that was down) try again.</summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many rows a warm-up run uses for each loaded version.</summary>
    public int WarmupRows { get; set; } = 1;

    /// <summary>
    /// Headers sent to external backends, by backend name (e.g. <c>Gateway:ExternalHeaders:triton-credit:Authorization</c>).
    /// Credentials live in configuration, never in the routing table, so they stay out of the database and the audit log.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> ExternalHeaders { get; set; } = new(StringComparer.Ordinal);
}

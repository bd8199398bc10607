namespace Escala.Core.Problems;

/// <summary>
/// The one catalogue of problem types Escala answers with. Add new kinds here (never invent a status
/// code inside an endpoint) and keep existing slugs stable: clients branch on them.
/// </summary>
public static class ProblemTypes
{
    // Input the caller can fix.
    /// <summary>The request body or a parameter is malformed or breaks a documented rule.</summary>
    public static readonly ProblemType ValidationFailed = new("validation-failed", 400, "The request is not valid");
    /// <summary>A name (model, alias, department, tag key...) is empty, too long or has forbidden characters.</summary>
    public static readonly ProblemType InvalidName = new("invalid-name", 400, "The name is not valid");
    /// <summary>The uploaded file is not an ONNX model.</summary>
    public static readonly ProblemType InvalidModel = new("invalid-model", 400, "The file is not a valid ONNX model");
    /// <summary>The model is valid ONNX but uses something the engine cannot run (op, domain, opset, type).</summary>
    public static readonly ProblemType UnsupportedModel = new("unsupported-model", 422, "The model uses something Escala cannot run");
    /// <summary>The body is larger than the route accepts.</summary>
    public static readonly ProblemType PayloadTooLarge = new("payload-too-large", 413, "The request body is too large");
    /// <summary>The body has a content type the route does not accept.</summary>
    public static readonly ProblemType UnsupportedMediaType = new("unsupported-media-type", 415, "The content type is not supported");

    // Who may do what.
    /// <summary>No API key, or an unknown or revoked one.</summary>
    public static readonly ProblemType Unauthenticated = new("unauthenticated", 401, "An API key is required");
    /// <summary>The key's role is below the route's minimum role.</summary>
    public static readonly ProblemType InsufficientRole = new("insufficient-role", 403, "The API key's role is not allowed to do this");
    /// <summary>The key is scoped to departments that do not include the resource's department.</summary>
    public static readonly ProblemType DepartmentScope = new("department-scope", 403, "The API key is not scoped to this department");
    /// <summary>The approver is the requester: a promotion needs a second person.</summary>
    public static readonly ProblemType FourEyes = new("four-eyes", 403, "A different key must approve this request");

    // State.
    /// <summary>The resource does not exist.</summary>
    public static readonly ProblemType NotFound = new("not-found", 404, "Not found");
    /// <summary>The route exists but not for this HTTP method.</summary>
    public static readonly ProblemType MethodNotAllowed = new("method-not-allowed", 405, "The route does not accept this method");
    /// <summary>The resource already exists.</summary>
    public static readonly ProblemType AlreadyExists = new("already-exists", 409, "It already exists");
    /// <summary>The stage change is not one of the legal transitions.</summary>
    public static readonly ProblemType IllegalStageTransition = new("illegal-stage-transition", 409, "That stage change is not allowed");
    /// <summary>The state changed under the request (e.g. the version moved stage since the request was opened).</summary>
    public static readonly ProblemType Conflict = new("conflict", 409, "The request conflicts with the current state");

    // Continuous training.
    /// <summary>A pipeline file is malformed or breaks a rule (unknown step type, cycle, bad cron): the detail lists every problem with its line.</summary>
    public static readonly ProblemType InvalidPipeline = new("invalid-pipeline", 400, "The pipeline definition is not valid");
    /// <summary>An uploaded dataset is not usable CSV: the detail names the line.</summary>
    public static readonly ProblemType InvalidDataset = new("invalid-dataset", 400, "The dataset is not valid");

    // Monitoring.
    /// <summary>A baseline reference table (CSV) is malformed or does not fit the model: the detail names the line and column.</summary>
    public static readonly ProblemType InvalidBaseline = new("invalid-baseline", 400, "The baseline data is not valid");
    /// <summary>The version has no baseline profile, which the request needs (e.g. a drift report).</summary>
    public static readonly ProblemType NoBaseline = new("no-baseline", 409, "The version has no baseline profile");

    // Serving (the gateway's data and control planes).
    /// <summary>A deploy, promote or rollback does not fit the endpoint's current rollout (nothing to promote, one already running...).</summary>
    public static readonly ProblemType RolloutConflict = new("rollout-conflict", 409, "The rollout cannot make that change now");
    /// <summary>A rollout plan's next wave is blocked by gates (readiness, soak or KPIs); the detail names every failing gate.</summary>
    public static readonly ProblemType GatesFailing = new("gates-failing", 409, "The rollout's gates do not pass");
    /// <summary>The endpoint exists but no version serves the caller's department (or nothing is deployed yet).</summary>
    public static readonly ProblemType NotDeployed = new("not-deployed", 404, "No model version serves this request");
    /// <summary>The prediction inputs do not fit the model: a missing input, a wrong type or shape, an unknown field.</summary>
    public static readonly ProblemType InvalidInput = new("invalid-input", 400, "The inputs do not fit the model");
    /// <summary>Every version in the fallback chain failed and no default answer is configured.</summary>
    public static readonly ProblemType PredictionUnavailable = new("prediction-unavailable", 503, "No version could answer");
    /// <summary>Every version in the fallback chain missed the endpoint's deadline and no default answer is configured.</summary>
    public static readonly ProblemType PredictionTimeout = new("prediction-timeout", 504, "No version answered in time");
    /// <summary>A version would take a share of live answers its stage does not allow on this endpoint (its stage rules); the detail names the rule.</summary>
    public static readonly ProblemType StageRule = new("stage-rule", 409, "The version's stage does not allow that use");
    /// <summary>An external backend or webhook URL names a host that is not on the admin-managed allow list.</summary>
    public static readonly ProblemType HostNotAllowed = new("host-not-allowed", 403, "The host is not on the outbound allow list");
    /// <summary>The caller (key or address) sent more requests than its rate limit allows; retry after the Retry-After header.</summary>
    public static readonly ProblemType RateLimited = new("rate-limited", 429, "Too many requests");
    /// <summary>The request's headers are larger than the server accepts.</summary>
    public static readonly ProblemType HeadersTooLarge = new("headers-too-large", 431, "The request headers are too large");
    /// <summary>A version could not be loaded or warmed, or an external backend did not answer its checks, so it was not deployed.</summary>
    public static readonly ProblemType VersionUnavailable = new("version-unavailable", 422, "The version could not be loaded and warmed");

    /// <summary>Not possible right now but expected to succeed on retry (e.g. a label whose prediction is still being logged); the answer carries <c>Retry-After</c>.</summary>
    public static readonly ProblemType TryAgainLater = new("try-again-later", 503, "Not possible right now; retry after the Retry-After delay");
    // Governance.
    /// <summary>The model cannot be explained as asked: the method does not apply to it, or it needs a background the version lacks.</summary>
    public static readonly ProblemType ExplanationUnavailable = new("explanation-unavailable", 422, "The model cannot be explained as asked");
    /// <summary>Fairness metrics do not apply: the model is not a binary classifier, or a column or label is missing.</summary>
    public static readonly ProblemType FairnessUnavailable = new("fairness-unavailable", 422, "Fairness metrics cannot be computed for this");

    // Server side.
    /// <summary>A stored artifact no longer matches its SHA-256: it is refused rather than served.</summary>
    public static readonly ProblemType ArtifactCorrupt = new("artifact-corrupt", 500, "A stored artifact failed its integrity check");
    /// <summary>Anything unexpected; the detail carries a trace id for the logs, never internals.</summary>
    public static readonly ProblemType Internal = new("internal-error", 500, "An unexpected error occurred");

    /// <summary>Every problem type above, for documentation and tests.</summary>
    public static IReadOnlyList<ProblemType> All { get; } =
    [
        ValidationFailed, InvalidName, InvalidModel, UnsupportedModel, PayloadTooLarge, UnsupportedMediaType,
        Unauthenticated, InsufficientRole, DepartmentScope, FourEyes,
        NotFound, MethodNotAllowed, AlreadyExists, IllegalStageTransition, Conflict,
        InvalidBaseline, NoBaseline,
        RolloutConflict, NotDeployed, InvalidInput, PredictionUnavailable, PredictionTimeout, VersionUnavailable, TryAgainLater,
        StageRule, HostNotAllowed, RateLimited, HeadersTooLarge,
        ExplanationUnavailable, FairnessUnavailable,
        ArtifactCorrupt, Internal,
    ];
}

using System.Diagnostics;
using Escala.Core.Naming;
using Escala.Core.Problems;
using Escala.Core.Routing;
using Escala.Onnx.Tensors;
using Escala.Server.PredictionLog;
using Escala.Server.Security;
using Escala.Server.Serving;
using Microsoft.AspNetCore.Http;

namespace Escala.Server.Predictions;

/// <summary>
/// The steps every prediction route shares, in the order of DESIGN.md's "flow of one prediction":
/// look up the endpoint's snapshot, attribute the request to a department, route it (or pin a
/// version), run the fallback chain, then after the answer is written queue the shadow copy and
/// record the request. No lock and no database call on the way.
/// </summary>
public sealed class PredictionFlow(
    LiveEndpoints live, PredictionExecutor executor, ShadowMirror shadows, PredictionRecorder recorder, Organisation.UserPseudonyms pseudonyms, TimeProvider time)
{
    /// <summary>The header that names the end user a request is made for (counted pseudonymously for adoption).</summary>
    public const string UserHeader = "X-Escala-User";

    /// <summary>The header that carries the subject key for sticky A/B assignment.</summary>
    public const string SubjectHeader = "X-Escala-Subject";

    /// <summary>The response header with the request id (join key for ground truth).</summary>
    public const string RequestIdHeader = "X-Escala-Request-Id";

    /// <summary>The response header naming the version that answered (<c>default-answer</c> for the configured default).</summary>
    public const string VersionHeader = "X-Escala-Version";

    /// <summary>The response header saying whether the answer is a fallback (<c>true</c>/<c>false</c>).</summary>
    public const string FallbackHeader = "X-Escala-Fallback";

    /// <summary>The response header saying where the answer came from (routed, fallback-version, default-answer).</summary>
    public const string SourceHeader = "X-Escala-Source";

    /// <summary>A new request id: time-ordered (UUID v7), so the log sorts by arrival.</summary>
    public static string NewRequestId() => Guid.CreateVersion7().ToString("N");

    /// <summary>The snapshot of <paramref name="endpoint"/>; throws not-found.</summary>
    public ServingSnapshot Resolve(string endpoint) =>
        live.TryGet(endpoint, out var snapshot)
            ? snapshot
            : throw ProblemTypes.NotFound.With($"There is no endpoint '{ResourceName.Printable(endpoint)}'. The endpoints are listed at /api/v1/endpoints.");

    /// <summary>The department the request is attributed to (its key's, or the header's when the key may use it).</summary>
    public static string? Department(HttpContext http) => http.GetDepartment();

    /// <summary>The longest subject accepted: it is hashed for A/B assignment and stored with every logged prediction.</summary>
    public const int MaxSubjectLength = 256;

    // The subject is stored with each prediction log line: bounded, and free of characters that would reach a terminal.
    private static void CheckSubject(string? subject)
    {
        if (subject is null)
        {
            return;
        }

        if (subject.Length > MaxSubjectLength)
        {
            throw ProblemTypes.ValidationFailed.With(
                $"The subject has {subject.Length} characters; at most {MaxSubjectLength} are accepted (send a customer id or a hash of one).");
        }

        if (Core.Naming.TextSafety.FirstUnsafe(subject) is { } c)
        {
            throw ProblemTypes.ValidationFailed.With($"The subject contains the character U+{(int)c:X4}; send printable text.");
        }
    }

    /// <summary>The subject: the header, else what the body carries.</summary>
    public static string? Subject(HttpContext http, string? fromBody)
    {
        ArgumentNullException.ThrowIfNull(http);
        var header = http.Request.Headers[SubjectHeader].ToString();
        return header.Length > 0 ? header : fromBody;
    }

    /// <summary>
    /// The pseudonym of the end user: <c>X-Escala-User</c>, else the parameter <c>user</c> of an OIP body
    /// (<paramref name="oipBody"/>, read only when there is no header); null without either. The id itself goes no
    /// further than this call.
    /// </summary>
    public string? UserKey(HttpContext http, byte[]? oipBody = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        var header = http.Request.Headers[UserHeader].ToString();
        return pseudonyms.Of(header.Length > 0 ? header : oipBody is null ? null : OipPayload.ParameterOf(oipBody, "user"));
    }

    /// <summary>
    /// The target to start at and the shadow to copy to (-1 for none): the pinned version when
    /// <paramref name="pinned"/> is given (it must be one of the endpoint's targets), else the router's pick.
    /// </summary>
    public static (int Primary, int Shadow) Route(ServingSnapshot snapshot, string? department, string? subject, string? pinned)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        CheckSubject(subject);
        if (pinned is not null)
        {
            var index = snapshot.FindPinned(pinned);
            if (index < 0)
            {
                throw ProblemTypes.NotFound.With(
                    $"The endpoint '{snapshot.Name}' has no version '{ResourceName.Printable(pinned)}'; its versions are {Versions(snapshot)}.");
            }

            // A pinned call honours the department rollout: only versions of the caller's department's policy (serving,
            // canary, green or shadow) may be asked for by name, never another department's.
            var key = snapshot.Targets[index].Spec.Key;
            var policy = snapshot.Endpoint.Routing.EffectivePolicy(department);
            if (policy is null || !policy.Targets.Contains(key, StringComparer.Ordinal))
            {
                throw ProblemTypes.NotDeployed.With(
                    $"{key} is not rolled out to {(department is null ? "requests without a department" : $"department '{department}'")} on the endpoint '{snapshot.Name}'.");
            }

            return (index, -1);
        }

        var decision = snapshot.Plan.Route(RouteRequest.WithRandomDraws(department, subject));
        if (!decision.IsRouted)
        {
            var scopes = snapshot.Endpoint.Routing.Departments.Select(d => d.Department).ToArray();
            throw ProblemTypes.NotDeployed.With(scopes.Length == 0
                ? $"Nothing is deployed to the endpoint '{snapshot.Name}' yet; deploy a version with `escala deploy {snapshot.Name} MODEL:VERSION`."
                : $"The endpoint '{snapshot.Name}' is rolled out to {string.Join(", ", scopes)} only, not to {(department is null ? "requests without a department" : $"department '{department}'")}.");
        }

        return (decision.Target, decision.Shadow);
    }

    /// <summary>A context for a request that arrived at <paramref name="startTimestamp"/>.</summary>
    public PredictionContext Context(string requestId, ServingSnapshot snapshot, string? department, string? subject, long startTimestamp) =>
        new(requestId, snapshot, department, subject, time.GetUtcNow(), startTimestamp);

    /// <summary>Runs the fallback chain.</summary>
    public ValueTask<PredictionOutcome> RunAsync(PredictionContext context, int primary, IPredictionPayload payload, CancellationToken cancellationToken) =>
        executor.RunAsync(context, primary, payload, cancellationToken);

    /// <summary>Sets the headers every answer carries: which version answered and whether it is a fallback.</summary>
    public static void WriteAnswerHeaders(HttpResponse response, PredictionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(outcome);
        response.Headers[VersionHeader] = outcome.Version ?? "default-answer";
        response.Headers[FallbackHeader] = outcome.IsFallback ? "true" : "false";
        response.Headers[SourceHeader] = PredictionRecorder.SourceName(outcome);
    }

    /// <summary>The problem for an outcome that is not an answer.</summary>
    public static ProblemException ProblemFor(PredictionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Status switch
        {
            PredictionStatus.InvalidInput or PredictionStatus.Refused => new ProblemException(ProblemTypes.InvalidInput, outcome.Detail ?? "The inputs do not fit the model.") { Field = outcome.Field },
            _ when outcome.LastFailure == AttemptFailure.Timeout && outcome.RoutedFailure == AttemptFailure.Timeout =>
                ProblemTypes.PredictionTimeout.With($"No version answered within the deadline: {outcome.Detail}"),
            _ => ProblemTypes.PredictionUnavailable.With(
                $"No version could answer ({outcome.RoutedFailure.ToString().ToLowerInvariant()} on the routed version; last: {outcome.Detail}). Configure a fallback version or a default answer to keep answering."),
        };
    }

    /// <summary>
    /// Before the answer is written: logs the request (when in its endpoint's sample). In durable mode it completes once
    /// the line is committed and throws a retryable problem when it cannot be; otherwise at once.
    /// </summary>
    public async ValueTask LogAsync(PredictionContext context, PredictionOutcome outcome, ReadOnlyMemory<byte> loggedInputs, ReadOnlyMemory<byte> loggedOutputs)
    {
        var log = recorder.LogAsync(context, outcome, loggedInputs, loggedOutputs);
        if (!(log.IsCompletedSuccessfully ? log.Result : await log.ConfigureAwait(false)))
        {
            recorder.Observe(context, outcome, Stopwatch.GetElapsedTime(context.StartTimestamp));
            throw new ProblemException(ProblemTypes.TryAgainLater,
                "The prediction was not answered: this server logs every prediction durably before answering, and its prediction log cannot store the line now (full or failing). Retry after the Retry-After delay.")
            { RetryAfter = TimeSpan.FromSeconds(1) };
        }
    }

    /// <summary>
    /// After the answer is written: queue the shadow copy (if the request was routed to a shadow
    /// policy and a version answered) and tell the observers how the request ended.
    /// </summary>
    public void Complete(PredictionContext context, PredictionOutcome outcome, int shadow, IPredictionPayload payload, ReadOnlyMemory<byte> loggedInputs)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(outcome);
        var latency = Stopwatch.GetElapsedTime(context.StartTimestamp);
        if (shadow >= 0 && outcome.Status == PredictionStatus.Answered && outcome.Outputs is not null)
        {
            var target = context.Snapshot.Targets[shadow];
            if (target != outcome.Target && target.Backend.IsAvailable)
            {
                if (ShadowInputs(target, outcome, payload) is { } inputs)
                {
                    shadows.TryMirror(new ShadowJob(context, target, inputs, outcome.Outputs, loggedInputs, outcome.Target?.Key));
                }
                else
                {
                    shadows.Skip();
                }
            }
        }

        recorder.Observe(context, outcome, latency);
    }

    // Inputs for the shadow: the served ones when the signatures match (no second decode), else decoded now.
    private static IReadOnlyDictionary<string, OnnxValue>? ShadowInputs(TargetRuntime shadow, PredictionOutcome outcome, IPredictionPayload payload)
    {
        if (outcome.Inputs is not null && outcome.Target is not null && SameSignature(shadow.Backend.Inputs, outcome.Target.Backend.Inputs))
        {
            return outcome.Inputs;
        }

        return payload.TryDecode(shadow.Backend.Inputs, out var inputs, out _) ? inputs : null;
    }

    private static bool SameSignature(IReadOnlyList<OnnxValueInfo> a, IReadOnlyList<OnnxValueInfo> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].Name != b[i].Name || !a[i].Type.Equals(b[i].Type))
            {
                return false;
            }
        }

        return true;
    }

    private static string Versions(ServingSnapshot snapshot) => string.Join(", ", snapshot.Plan.Targets);
}

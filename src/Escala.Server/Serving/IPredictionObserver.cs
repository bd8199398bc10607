using Escala.Onnx.Tensors;

namespace Escala.Server.Serving;

/// <summary>
/// The seam where per-request monitoring plugs into the data plane (metrics, data-quality checks,
/// drift windows). Observers are registered as services (<c>AddSingleton&lt;IPredictionObserver, X&gt;</c>)
/// and resolved once into an array; each is called on the request path, so each must be
/// thread-safe, lock-free and cheap, and must not throw.
/// </summary>
public interface IPredictionObserver
{
    /// <summary>
    /// False takes the observer off the request path altogether (e.g. <c>Monitoring:Enabled=false</c>): the
    /// executor leaves it out when it resolves its observers, so a disabled observer costs nothing per request.
    /// </summary>
    bool IsEnabled => true;

    /// <summary>
    /// Called on the control plane when a snapshot has been built and before it serves (deploy, promote, rollback,
    /// startup), so per-target state can be made ready off the request path. Must not throw; a slow one delays the change.
    /// </summary>
    ValueTask PrepareAsync(ServingSnapshot snapshot, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Called after the inputs were decoded for <paramref name="target"/> and before it runs.
    /// Return <see cref="ObserverVerdict.Refuse"/> to answer 400 invalid-input naming the field
    /// (a data-quality policy set to reject); anything flagged but accepted is the observer's to count.
    /// </summary>
    ObserverVerdict BeforeRun(PredictionContext context, TargetRuntime target, IReadOnlyDictionary<string, OnnxValue> inputs) => ObserverVerdict.Accept;

    /// <summary>Called once the request has its outcome (answered, refused or failed), with its latency.</summary>
    void AfterAnswer(PredictionContext context, PredictionOutcome outcome, TimeSpan latency)
    {
    }

    /// <summary>Called when a shadow copy has run (off the request path), with the inputs it was given and its outputs or failure.</summary>
    void AfterShadow(
        PredictionContext context, TargetRuntime shadow, IReadOnlyDictionary<string, OnnxValue> inputs, Attempt<IReadOnlyDictionary<string, OnnxValue>> attempt, TimeSpan latency)
    {
    }
}

/// <summary>An observer's decision about a request's inputs.</summary>
public readonly record struct ObserverVerdict(bool Refused, string? Detail, string? Field)
{
    /// <summary>The inputs may run.</summary>
    public static ObserverVerdict Accept => default;

    /// <summary>The inputs are refused; <paramref name="detail"/> says why and <paramref name="field"/> names the input.</summary>
    public static ObserverVerdict Refuse(string detail, string? field = null) => new(true, detail, field);
}

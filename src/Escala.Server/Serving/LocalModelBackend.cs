using Escala.Core.Routing;
using Escala.Onnx;
using Escala.Onnx.Tensors;

namespace Escala.Server.Serving;

/// <summary>
/// A registered version run by the in-process engine, within an endpoint's memory budget. Without a
/// deadline the model runs on the request's own thread (no hop); with one it runs on the thread pool so
/// the deadline can answer from the fallback, and the run is given the deadline's token so an abandoned
/// run stops cooperatively (between nodes and every few thousand rows of a tree walk) instead of computing
/// and allocating on. One compiled session is shared by every endpoint; each endpoint's snapshot holds its
/// own instance of this class carrying that endpoint's budget (<see cref="WithMemoryBudget"/>).
/// </summary>
public sealed class LocalModelBackend(InferenceSession session, long memoryBudgetBytes = 0) : IServingBackend
{
    /// <summary>The compiled session (thread-safe for concurrent runs).</summary>
    public InferenceSession Session { get; } = session;

    /// <summary>The bytes one run may allocate; 0 uses the session's own budget.</summary>
    public long MemoryBudgetBytes { get; } = memoryBudgetBytes;

    /// <inheritdoc/>
    public IReadOnlyList<OnnxValueInfo> Inputs => Session.Inputs;

    /// <inheritdoc/>
    public IReadOnlyList<OnnxValueInfo> Outputs => Session.Outputs;

    /// <inheritdoc/>
    public bool IsAvailable => true;

    /// <inheritdoc/>
    public bool RunsInline => true;

    /// <inheritdoc/>
    public string Description => $"engine: {Session.Operators.Count} operator kinds, inputs {string.Join(", ", Session.Inputs)}";

    /// <summary>The same session run within <paramref name="bytes"/> per prediction.</summary>
    public LocalModelBackend WithMemoryBudget(long bytes) => bytes == MemoryBudgetBytes ? this : new LocalModelBackend(Session, bytes);

    /// <inheritdoc/>
    public ValueTask<Attempt<IReadOnlyDictionary<string, OnnxValue>>> InferAsync(IReadOnlyDictionary<string, OnnxValue> inputs, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return ValueTask.FromResult(Run(inputs, CancellationToken.None));
        }

        // The run gets the same token: when the deadline answers from the fallback, the run stops too.
        return new ValueTask<Attempt<IReadOnlyDictionary<string, OnnxValue>>>(
            Task.Run(() => Run(inputs, cancellationToken), CancellationToken.None).WaitAsync(cancellationToken));
    }

    private Attempt<IReadOnlyDictionary<string, OnnxValue>> Run(IReadOnlyDictionary<string, OnnxValue> inputs, CancellationToken cancellationToken)
    {
        try
        {
            return Attempt<IReadOnlyDictionary<string, OnnxValue>>.Answered(Session.Run(inputs, new OnnxRunOptions(MemoryBudgetBytes, cancellationToken)));
        }
        catch (OnnxInputException e)
        {
            return Attempt<IReadOnlyDictionary<string, OnnxValue>>.Failed(AttemptFailure.InvalidInput, e.Message);
        }
        catch (OnnxBudgetException e)
        {
            // Refused before allocating: the request asks for more than the endpoint allows (send fewer rows).
            return Attempt<IReadOnlyDictionary<string, OnnxValue>>.Failed(AttemptFailure.InvalidInput, e.Message);
        }
        catch (OnnxException e)
        {
            return Attempt<IReadOnlyDictionary<string, OnnxValue>>.Failed(AttemptFailure.Error, e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Nobody waits for this answer any more (the deadline already answered); it stopped early.
            return Attempt<IReadOnlyDictionary<string, OnnxValue>>.Failed(AttemptFailure.Timeout, "stopped at the deadline");
        }
    }
}

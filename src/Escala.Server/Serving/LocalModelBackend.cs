using Escala.Core.Routing;
using Escala.Onnx;
using Escala.Onnx.Tensors;

namespace Escala.Server.Serving;

/// <summary>
/// A registered version run by the in-process engine. Without a deadline the model runs on the
/// request's own thread (no hop); with one it runs on the thread pool so the deadline can answer
/// from the fallback while a slow run finishes in the background (a CPU-bound run cannot be
/// interrupted, only abandoned).
/// </summary>
public sealed class LocalModelBackend(InferenceSession session) : IServingBackend
{
    /// <summary>The compiled session (thread-safe for concurrent runs).</summary>
    public InferenceSession Session { get; } = session;

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

    /// <inheritdoc/>
    public ValueTask<Attempt<IReadOnlyDictionary<string, OnnxValue>>> InferAsync(IReadOnlyDictionary<string, OnnxValue> inputs, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return ValueTask.FromResult(Run(inputs));
        }

        return new ValueTask<Attempt<IReadOnlyDictionary<string, OnnxValue>>>(
            Task.Run(() => Run(inputs), CancellationToken.None).WaitAsync(cancellationToken));
    }

    private Attempt<IReadOnlyDictionary<string, OnnxValue>> Run(IReadOnlyDictionary<string, OnnxValue> inputs)
    {
        try
        {
            return Attempt<IReadOnlyDictionary<string, OnnxValue>>.Answered(Session.Run(inputs));
        }
        catch (OnnxInputException e)
        {
            return Attempt<IReadOnlyDictionary<string, OnnxValue>>.Failed(AttemptFailure.InvalidInput, e.Message);
        }
        catch (OnnxException e)
        {
            return Attempt<IReadOnlyDictionary<string, OnnxValue>>.Failed(AttemptFailure.Error, e.Message);
        }
    }
}

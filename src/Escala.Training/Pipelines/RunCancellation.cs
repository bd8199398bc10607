using System.Collections.Concurrent;

namespace Escala.Training.Pipelines;

/// <summary>
/// The runs executing on this node and how to stop each: a cancel request (stored first, so another node's runner
/// sees it between steps) also stops the step in progress here at once.
/// </summary>
public sealed class RunCancellation
{
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _running = new();

    /// <summary>Tracks a run while it executes; dispose the result when it ends.</summary>
    public IDisposable Track(long runId, CancellationTokenSource source)
    {
        _running[runId] = source;
        return new Untrack(this, runId);
    }

    /// <summary>Stops the run's current step if it runs here; false otherwise.</summary>
    public bool Cancel(long runId)
    {
        if (!_running.TryGetValue(runId, out var source))
        {
            return false;
        }

        source.Cancel();
        return true;
    }

    private sealed class Untrack(RunCancellation owner, long runId) : IDisposable
    {
        public void Dispose() => owner._running.TryRemove(runId, out _);
    }
}

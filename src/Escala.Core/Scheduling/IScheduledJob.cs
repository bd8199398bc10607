namespace Escala.Core.Scheduling;

/// <summary>
/// A unit of background work that the one scheduler runs: periodic checks, due steps, retries,
/// retention. Jobs hold no loop and no timer of their own, so that with several nodes exactly one
/// node (the lease holder) runs each of them.
/// </summary>
public interface IScheduledJob
{
    /// <summary>Stable name, used in logs and as the job's identity across nodes (e.g. <c>canary-steps</c>).</summary>
    string Name { get; }

    /// <summary>How long after one pass ends the next one starts.</summary>
    TimeSpan Interval { get; }

    /// <summary>
    /// Whether every node runs the job (node-local work such as flushing its own buffers) rather than
    /// only the node that holds the scheduler lease (work on shared state, which must run once).
    /// </summary>
    bool EveryNode => false;

    /// <summary>One pass. An exception is logged and the job runs again at its next tick.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}

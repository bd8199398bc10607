namespace Escala.Core.Tests;

/// <summary>Measures what a hot path allocates on the calling thread.</summary>
internal static class Allocations
{
    /// <summary>
    /// Bytes allocated on this thread by the best of <paramref name="rounds"/> runs of <paramref name="round"/>.
    /// The runtime may allocate on the thread while it re-compiles hot methods (tiering, on-stack replacement)
    /// during a run, which is not the code under test's doing; an allocation per call shows in every run.
    /// </summary>
    public static long BestOf(int rounds, Action round)
    {
        var best = long.MaxValue;
        for (var i = 0; i < rounds && best > 0; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            round();
            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return best;
    }
}

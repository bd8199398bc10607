namespace Escala.Core.Capacity;

/// <summary>How many nodes a peak load needs when each node may run at most (1 − headroom) of its peak throughput.</summary>
public static class NodePlan
{
    /// <summary>The default share of each node's peak left free for bursts and a node failing.</summary>
    public const double DefaultHeadroom = 0.3;

    /// <summary>ceil(load / (peak × (1 − headroom))), at least 1 when there is any load.</summary>
    public static int NodesNeeded(double peakLoadPerSecond, double nodePeakThroughput, double headroom = DefaultHeadroom)
    {
        if (!(headroom is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(headroom), "Headroom is a share in [0, 1).");
        }

        if (!(nodePeakThroughput > 0) || double.IsInfinity(nodePeakThroughput))
        {
            throw new ArgumentOutOfRangeException(nameof(nodePeakThroughput), "A node's peak throughput must be positive and finite.");
        }

        return peakLoadPerSecond <= 0 ? 0 : (int)Math.Ceiling(peakLoadPerSecond / (nodePeakThroughput * (1 - headroom)));
    }
}

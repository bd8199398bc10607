namespace Escala.Core.Monitoring.Windows;

/// <summary>How a <see cref="TumblingWindow"/> cuts traffic: by wall-clock time (aligned to multiples of the length since the Unix epoch) or by row count.</summary>
public sealed record WindowSpec
{
    private WindowSpec(TimeSpan? length, long? rows)
    {
        Length = length;
        Rows = rows;
    }

    /// <summary>The window length, for time windows.</summary>
    public TimeSpan? Length { get; }

    /// <summary>Rows per window, for count windows.</summary>
    public long? Rows { get; }

    /// <summary>Windows of <paramref name="length"/> (e.g. one hour), aligned so every gateway node cuts at the same instants.</summary>
    public static WindowSpec ByTime(TimeSpan length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, TimeSpan.FromSeconds(1));
        return new WindowSpec(length, null);
    }

    /// <summary>Windows of exactly <paramref name="rows"/> rows.</summary>
    public static WindowSpec ByCount(long rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        return new WindowSpec(null, rows);
    }
}

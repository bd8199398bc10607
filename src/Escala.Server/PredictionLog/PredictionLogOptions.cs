namespace Escala.Server.PredictionLog;

/// <summary>How the prediction log buffers, batches, retries and retains (configuration section <c>PredictionLog</c>).</summary>
public sealed class PredictionLogOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "PredictionLog";

    /// <summary>Lines buffered in memory before new ones are dropped (and counted). Bounds memory whatever the traffic.</summary>
    public int Capacity { get; set; } = 20_000;

    /// <summary>The most lines written in one transaction (small enough that a batch's CPU burst does not stall requests on a small machine).</summary>
    public int BatchSize { get; set; } = 250;

    /// <summary>How long the writer waits for more lines after the first of a batch, so a quiet endpoint does not commit one line at a time.</summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Attempts at writing one batch before it is dropped (and counted).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first retry delay; each further retry doubles it.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Lines older than this many days are deleted; 0 keeps them forever.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>How often the retention sweep runs.</summary>
    public TimeSpan RetentionSweepEvery { get; set; } = TimeSpan.FromHours(1);
}

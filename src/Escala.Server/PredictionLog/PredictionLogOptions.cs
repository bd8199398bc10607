namespace Escala.Server.PredictionLog;

/// <summary>When a prediction is answered relative to its log line being on disk.</summary>
public enum PredictionLogMode
{
    /// <summary>
    /// The line is queued and the answer goes out at once; lines are written in batches a little later. A crash
    /// (kill -9, power cut) loses the lines still queued: at most <see cref="PredictionLogOptions.Capacity"/>, in
    /// practice the last <see cref="PredictionLogOptions.Linger"/> plus one batch write of traffic.
    /// </summary>
    Buffered,

    /// <summary>
    /// The answer waits until its line is committed (synchronous=FULL): lines queued while a batch is being written
    /// form the next batch (group commit), so many predictions share one fsync. Nothing acknowledged is lost; a line
    /// that cannot be stored makes its prediction a retryable 503.
    /// </summary>
    Durable,
}

/// <summary>How the prediction log buffers, batches, retries and retains (configuration section <c>PredictionLog</c>).</summary>
public sealed class PredictionLogOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "PredictionLog";

    /// <summary>Whether a prediction waits for its line to be durable (<c>Durable</c>) or not (<c>Buffered</c>, the default).</summary>
    public PredictionLogMode Mode { get; set; } = PredictionLogMode.Buffered;

    /// <summary>Lines buffered in memory before new ones are dropped (and counted). Bounds memory whatever the traffic.</summary>
    public int Capacity { get; set; } = 20_000;

    /// <summary>The most lines written in one transaction (small enough that a batch's CPU burst does not stall requests on a small machine).</summary>
    public int BatchSize { get; set; } = 250;

    /// <summary>
    /// How long the writer waits for more lines after the first of a batch, so a quiet endpoint does not commit one
    /// line at a time. Not used in <see cref="PredictionLogMode.Durable"/> mode (the next batch forms while one is written),
    /// nor when someone waits for the log (a label for a request still queued).
    /// </summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Attempts at writing one batch before it is dropped (and counted).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first retry delay; each further retry doubles it.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long a ground-truth post waits for lines still queued to be written before answering a label for a request
    /// the log does not hold yet with a retryable 503.
    /// </summary>
    public TimeSpan JoinWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Lines older than this many days are deleted; 0 keeps them forever.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>How often the retention sweep runs.</summary>
    public TimeSpan RetentionSweepEvery { get; set; } = TimeSpan.FromHours(1);
}

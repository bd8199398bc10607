namespace Escala.Server.Monitoring;

/// <summary>How the server runs monitoring (configuration section <c>Monitoring</c>); the defaults suit production, tests shorten the intervals.</summary>
public sealed class MonitoringOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Monitoring";

    /// <summary>
    /// Whether the gateway's requests are monitored (default true). <c>Monitoring:Enabled=false</c> takes the
    /// observer off the request path: no counters, quality checks or drift windows; the routes, stored history and
    /// alert rules stay. For measuring what monitoring costs, or to shed it in an emergency.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the worker closes due windows, evaluates drift and drains baseline captures (default 1 s).</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often endpoint-level alert rules (rates, latency, SLO, ground truth) are evaluated (default 15 s).</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Spacing of the in-memory counter samples rules look back over (default 15 s).</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How far the in-memory samples go back (default 65 min); longer lookbacks read the hourly counts in the database.</summary>
    public TimeSpan HistoryLength { get; set; } = TimeSpan.FromMinutes(65);

    /// <summary>How often live counters are added to the durable hourly counts (default 60 s; also on shutdown).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Closed windows (with their reports) kept per endpoint and version (default 2,000).</summary>
    public int ReportsKept { get; set; } = 2000;

    /// <summary>Hourly counts kept, in days (default 400: a year of SLO periods).</summary>
    public int CountRetentionDays { get; set; } = 400;

    /// <summary>A per-version alert series with no new value for this long resolves as stale (default one day).</summary>
    public TimeSpan StaleSeriesAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Webhook deliveries waiting at most (default 1,000); past it an event's delivery fails at once and is marked so.</summary>
    public int DeliveryQueue { get; set; } = 1000;

    /// <summary>Deliveries in flight at once (default 4), so one slow webhook cannot hold up the others.</summary>
    public int DeliveryConcurrency { get; set; } = 4;

    /// <summary>Attempts per webhook and event (default 5).</summary>
    public int DeliveryAttempts { get; set; } = 5;

    /// <summary>Wait before the first retry; doubles each time (default 1 s).</summary>
    public TimeSpan DeliveryBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between retries (default 60 s).</summary>
    public TimeSpan DeliveryMaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one webhook call may take (default 10 s).</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The address people reach this server at (e.g. <c>https://escala.example.com</c>, behind a load balancer), used to
    /// make the links in webhook bodies absolute. Unset: the first address the server listens on.
    /// </summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>How often metrics are pushed to OTLP collectors (default 30 s).</summary>
    public TimeSpan OtlpExportInterval { get; set; } = TimeSpan.FromSeconds(30);
}

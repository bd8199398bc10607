using Escala.Onnx.Tensors;

namespace Escala.Server.Monitoring.Live;

/// <summary>
/// What the gateway's request path calls: <see cref="Check"/> before a version runs (the data-quality policy) and
/// <see cref="Record"/> once the request has its outcome (counters, latency, drift window, baseline capture).
/// Both are lock-free lookups plus the per-row work of the version's monitor; neither touches the database.
/// </summary>
public sealed class PredictionMonitor(LiveMetrics metrics, MonitorDirectory monitors)
{
    /// <summary>The live counters.</summary>
    public LiveMetrics Metrics { get; } = metrics;

    /// <summary>The version monitors.</summary>
    public MonitorDirectory Monitors { get; } = monitors;

    /// <summary>Checks the decoded inputs for <paramref name="target"/> against its baseline under the endpoint's policy.</summary>
    public QualityVerdict Check(string endpoint, string target, IReadOnlyDictionary<string, OnnxValue> inputs) =>
        Monitors.Find(endpoint, target)?.Check(inputs) ?? QualityVerdict.Accept;

    /// <summary>
    /// Counts a request under <paramref name="target"/> (the version that answered, <c>default</c> or <c>none</c>) and
    /// <paramref name="department"/>; an answer by a version also feeds that version's drift window.
    /// </summary>
    public void Record(
        string endpoint, string target, string? department, ServingOutcome outcome, TimeSpan latency,
        IReadOnlyDictionary<string, OnnxValue>? inputs = null, IReadOnlyDictionary<string, OnnxValue>? outputs = null)
    {
        // Rows first, then the count: once a request is counted, its rows are in the window.
        if (outcome is ServingOutcome.Answered or ServingOutcome.Fallback && inputs is not null && outputs is not null)
        {
            Monitors.Find(endpoint, target)?.Observe(inputs, outputs);
        }

        Metrics.Series(endpoint, target, department).Record(outcome, latency.Ticks / TimeSpan.TicksPerMicrosecond);
    }

    /// <summary>A shadow version's answer to a mirrored request feeds that version's drift window (its prediction drift shows how a challenger behaves on live traffic).</summary>
    public void RecordShadow(string endpoint, string target, IReadOnlyDictionary<string, OnnxValue> inputs, IReadOnlyDictionary<string, OnnxValue> outputs) =>
        Monitors.Find(endpoint, target)?.Observe(inputs, outputs);
}

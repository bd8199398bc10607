using Escala.Server.Serving;

namespace Escala.Server.Monitoring.Metrics;

/// <summary>
/// The shadow mirror on <c>/metrics</c>: its queue's depth, copies dropped (queue full) and skipped (inputs that do not
/// fit the shadow), and each shadow's agreement with its primary as cumulative counters, from which Prometheus takes the
/// agreement over any window (<c>rate(matches) / rate(compared)</c>).
/// </summary>
public sealed class ShadowMetrics(ShadowMirror mirror) : IMetricsSource
{
    /// <inheritdoc/>
    public void WriteTo(PrometheusText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Family("escala_shadow_queue_depth", "gauge", "Shadow copies waiting to run.");
        text.Sample("escala_shadow_queue_depth", mirror.Depth);
        text.Family("escala_shadow_copies_total", "counter", "Shadow copies by outcome: queued, dropped (the queue was full) or skipped (the request does not fit the shadow's inputs).");
        text.Sample("escala_shadow_copies_total", mirror.Queued, ("result", "queued"));
        text.Sample("escala_shadow_copies_total", mirror.Dropped, ("result", "dropped"));
        text.Sample("escala_shadow_copies_total", mirror.Skipped, ("result", "skipped"));

        var agreements = mirror.Agreements.OrderBy(a => a.Endpoint, StringComparer.Ordinal).ThenBy(a => a.Shadow, StringComparer.Ordinal)
            .Select(a => (Agreement: a, Total: a.Total())).ToList();
        text.Family("escala_shadow_labels_compared_total", "counter", "Labels a shadow answered for copies of its primary's requests (integer, string or boolean outputs).");
        foreach (var (a, t) in agreements)
        {
            text.Sample("escala_shadow_labels_compared_total", t.Tally.Labels, Labels(a));
        }

        text.Family("escala_shadow_label_matches_total", "counter", "Of those labels, the ones equal to the primary's.");
        foreach (var (a, t) in agreements)
        {
            text.Sample("escala_shadow_label_matches_total", t.Tally.LabelMatches, Labels(a));
        }

        text.Family("escala_shadow_scores_compared_total", "counter", "Scores a shadow answered for copies (float outputs and class probabilities).");
        foreach (var (a, t) in agreements)
        {
            text.Sample("escala_shadow_scores_compared_total", t.Tally.Scores, Labels(a));
        }

        text.Family("escala_shadow_score_abs_diff_sum", "counter", "The sum of |primary - shadow| over those scores (divide by the count for the mean absolute difference).");
        foreach (var (a, t) in agreements)
        {
            text.Sample("escala_shadow_score_abs_diff_sum", t.Tally.AbsDiffSum, Labels(a));
        }
    }

    private static (string, string?)[] Labels(ShadowAgreement a) => [("endpoint", a.Endpoint), ("primary", a.Primary), ("shadow", a.Shadow)];
}

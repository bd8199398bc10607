using System.Globalization;
using System.Text;
using Escala.Server.Monitoring.Live;
using Escala.Server.Pages;
using Escala.Server.Pages.Charts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Escala.Server.Dashboard.Pages;

/// <summary>
/// The endpoint page's live chart as server-sent events: once a second, requests per second of each version over the
/// last minute, from the monitoring counters the gateway already keeps (no extra work on the request path). Each event
/// is the chart drawn by the chart kit plus the same figures as text, so the browser only swaps it in. The stream
/// ends when the page closes or the server stops.
/// </summary>
public static class LiveTraffic
{
    /// <summary>Seconds of history shown.</summary>
    public const int Seconds = 60;

    /// <summary>Streams the endpoint's traffic until the client leaves or the server shuts down.</summary>
    public static async Task StreamAsync(string endpoint, HttpContext http, LiveMetrics metrics, TimeProvider time, IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(http);
        DashboardResults.Secure(http.Response);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var previous = new Dictionary<string, long>(StringComparer.Ordinal);
        var history = new Dictionary<string, List<(double X, double Y)>>(StringComparer.Ordinal);
        var tick = 0L;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var totals = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var series in metrics.Of(endpoint))
                {
                    totals[series.Target] = totals.GetValueOrDefault(series.Target) + series.Counters.Read().Requests;
                }

                foreach (var (target, total) in totals)
                {
                    if (!history.TryGetValue(target, out var points))
                    {
                        history[target] = points = [];
                    }

                    // A target present at the first sample only sets its starting count; one that appears later was
                    // created by its first request since, so all its count is new.
                    if (previous.TryGetValue(target, out var before) || tick > 0)
                    {
                        points.Add((tick, Math.Max(0, total - before)));
                    }

                    previous[target] = total;
                    if (points.Count > Seconds)
                    {
                        points.RemoveAt(0);
                    }
                }

                var panel = Panel(history.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new ChartSeries(h.Key, h.Value.Select(p => (p.X - tick, p.Y)).ToList())).ToList(), tick);
                await http.Response.WriteAsync("event: traffic\ndata: " + panel.Replace('\n', ' ') + "\n\n", stop.Token);
                await http.Response.Body.FlushAsync(stop.Token);
                tick++;
                await Task.Delay(TimeSpan.FromSeconds(1), time, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The page closed or the server is stopping: the stream simply ends.
        }
    }

    /// <summary>The chart and a text summary of <paramref name="series"/> (x: seconds relative to now).</summary>
    public static string Panel(IReadOnlyList<ChartSeries> series, long tick)
    {
        var c = CultureInfo.InvariantCulture;
        var html = new StringBuilder(4096);
        var total = series.Sum(s => s.Points.Sum(p => p.Y));
        html.Append(LineChart.Render("Requests per second per version, last minute", series,
            x => x == 0 ? "now" : string.Create(c, $"{x:0} s"), y => y.ToString("0.#", c), yMin: 0, yMax: null, width: 720, height: 200, xMin: 1 - Seconds, xMax: 0));
        html.Append(c, $"<p class=\"live-summary\" data-requests=\"{total:0}\" data-tick=\"{tick}\">");
        html.Append(series.Count == 0
            ? "No request in the last minute."
            : string.Create(c, $"{total:N0} requests in the last minute: ") + string.Join(", ", series.Select(s =>
                Html.Encode(s.Name) + string.Create(c, $" {s.Points.Sum(p => p.Y):N0} (now {(s.Points.Count == 0 ? 0 : s.Points[^1].Y):0}/s)"))));
        return html.Append("</p>").ToString();
    }
}

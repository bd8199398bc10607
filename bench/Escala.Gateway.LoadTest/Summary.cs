using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Escala.Gateway.LoadTest;

/// <summary>Turns the JSON lines of several runs into a markdown table: per label, the median and the range over repeats.</summary>
public static class Summary
{
    /// <summary>The table for the runs in <paramref name="file"/>, labels in first-seen order.</summary>
    public static string Markdown(string file)
    {
        var runs = File.ReadLines(file)
            .Where(l => l.Trim().Length > 0)
            .Select(l => JsonSerializer.Deserialize<LoadResult>(l)!)
            .ToList();
        var c = CultureInfo.InvariantCulture;
        var table = new StringBuilder();
        table.AppendLine("| run | load | repeats | requests/s | p50 ms | p99 ms | max ms | failed | rollout calls (failed) |");
        table.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var group in runs.GroupBy(r => r.Label))
        {
            var g = group.ToList();
            table.Append(c, $"| {group.Key} | {g[0].Mode} | {g.Count} | {Range(g, r => r.RequestsPerSecond, "0")} | {Range(g, r => r.P50Ms, "0.00")} | ")
                .Append(c, $"{Range(g, r => r.P99Ms, "0.00")} | {Range(g, r => r.MaxMs, "0.0")} | {g.Sum(r => r.Failures)} of {g.Sum(r => r.Requests):N0} | ")
                .Append(c, $"{(g.Sum(r => r.ChurnCalls) == 0 ? "-" : $"{g.Sum(r => r.ChurnCalls)} ({g.Sum(r => r.ChurnFailures)})")} |")
                .AppendLine();
        }

        return table.ToString();
    }

    /// <summary>
    /// Compares two labels run in interleaved pairs (the i-th run of <paramref name="baseline"/> with the i-th of
    /// <paramref name="candidate"/>, taken back to back): per pair the throughput cost 1 - candidate/baseline and the
    /// latency differences, as the median and range over the pairs. Pairing cancels most of the drift a shared
    /// machine's load puts into runs minutes apart.
    /// </summary>
    public static string Paired(string file, string baseline, string candidate)
    {
        var runs = File.ReadLines(file).Where(l => l.Trim().Length > 0).Select(l => JsonSerializer.Deserialize<LoadResult>(l)!).ToList();
        var a = runs.Where(r => r.Label == baseline).ToList();
        var b = runs.Where(r => r.Label == candidate).ToList();
        var pairs = Math.Min(a.Count, b.Count);
        if (pairs == 0)
        {
            return $"No runs of both '{baseline}' and '{candidate}' to pair.\n";
        }

        var cost = new double[pairs];
        var p50 = new double[pairs];
        var p99 = new double[pairs];
        for (var i = 0; i < pairs; i++)
        {
            cost[i] = 100 * (1 - (b[i].RequestsPerSecond / a[i].RequestsPerSecond));
            p50[i] = 1000 * (b[i].P50Ms - a[i].P50Ms);
            p99[i] = 1000 * (b[i].P99Ms - a[i].P99Ms);
        }

        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"'{candidate}' vs '{baseline}', {pairs} interleaved pairs:\n");
        text.Append(c, $"  throughput cost per pair: {string.Join(", ", cost.Select(x => x.ToString("+0.0;-0.0", c) + "%"))}\n");
        text.Append(c, $"  throughput cost: median {Median(cost):+0.0;-0.0}% (range {cost.Min():+0.0;-0.0}% to {cost.Max():+0.0;-0.0}%)\n");
        text.Append(c, $"  p50 difference: median {Median(p50):+0;-0} µs (range {p50.Min():+0;-0} to {p50.Max():+0;-0}); p99 difference: median {Median(p99):+0;-0} µs (range {p99.Min():+0;-0} to {p99.Max():+0;-0})\n");
        return text.ToString();
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    // "median (min-max)" over the repeats, or the single value.
    private static string Range(List<LoadResult> runs, Func<LoadResult, double> value, string format)
    {
        var values = runs.Select(value).Order().ToArray();
        var median = values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
        return values.Length == 1
            ? median.ToString(format, CultureInfo.InvariantCulture)
            : $"{median.ToString(format, CultureInfo.InvariantCulture)} ({values[0].ToString(format, CultureInfo.InvariantCulture)}-{values[^1].ToString(format, CultureInfo.InvariantCulture)})";
    }
}

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

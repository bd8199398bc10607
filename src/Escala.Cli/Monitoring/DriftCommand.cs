using System.CommandLine;
using System.Globalization;
using Escala.Cli.Client;
using Escala.Core.Monitoring.Drift;
using Escala.Server.Monitoring;
using Escala.Server.Monitoring.Drift;
using Spectre.Console;

namespace Escala.Cli.Monitoring;

/// <summary><c>escala drift ENDPOINT</c>: per feature the statistic, threshold and verdict; <c>--html</c> saves the report with its histograms.</summary>
public static class DriftCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint." };
        var version = new Option<string?>("--version") { Description = "The version (model:version); default: the one with the newest window." };
        var window = new Option<string>("--window")
        {
            Description = "latest (the last closed window), current (the open window so far), a report id, or a period such as 6h or 7d (its windows merged).",
            DefaultValueFactory = _ => "latest",
        };
        var list = new Option<bool>("--list") { Description = "List the closed windows instead (id, period, rows, drifted features)." };
        var html = new Option<FileInfo?>("--html") { Description = "Save the report as an HTML page with an SVG histogram per feature." };
        var json = ClientOptions.Json;
        var command = new Command("drift", "Show an endpoint's drift report: per feature the statistic, threshold and verdict.") { endpoint, version, window, list, html, json };
        command.WithClientOptions();
        return command.Runs(async (cli, ct) =>
        {
            var path = $"{MonitoringCommand.PathOf(cli.Get(endpoint)!)}/drift";
            var query = $"?window={Uri.EscapeDataString(cli.Get(window)!)}" + (cli.Get(version) is { } v ? $"&version={Uri.EscapeDataString(v)}" : "");
            if (cli.Get(list))
            {
                await ListAsync(cli, path + "/reports" + (cli.Get(version) is { } lv ? $"?version={Uri.EscapeDataString(lv)}" : ""), cli.Get(json), ct);
                return;
            }

            if (cli.Get(html) is { } file)
            {
                var page = await cli.Client.GetStringAsync(path + "/html" + query, ct);
                await File.WriteAllTextAsync(file.FullName, page, ct);
            }

            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync(path + query, ct));
                return;
            }

            var view = await cli.Client.GetAsync<DriftView>(path + query, ct, MonitoringJson.Options);
            Print(cli, view);
            if (cli.Get(html) is { } saved)
            {
                cli.Line($"HTML report with histograms: {saved.FullName}");
            }
        });
    }

    private static void Print(CliContext cli, DriftView view)
    {
        var report = view.Report;
        var c = CultureInfo.InvariantCulture;
        cli.Line($"{view.Endpoint} ({view.Version}): {view.Description}, {report.Start:u} - {report.End:u}");
        var drifted = report.DriftedFeatures;
        cli.Line(drifted.Count == 0
            ? "No feature drifted."
            : string.Create(c, $"{drifted.Count} of {report.Features.Count(f => f.Verdict != DriftVerdict.InsufficientData)} judged features drifted: {string.Join(", ", drifted)}")
              + (report.Prediction?.Verdict == DriftVerdict.Drifted ? "; the prediction drifted." : "."));
        var table = new Table().AddColumns("column", "method", "statistic", "threshold", "verdict", "PSI", "KS p", "JS", "missing");
        var columns = report.Prediction is null ? report.Features : [.. report.Features, report.Prediction];
        foreach (var f in columns.OrderBy(f => f.Verdict == DriftVerdict.Drifted ? 0 : 1))
        {
            var test = f.Method is DriftMethod.KolmogorovSmirnov or DriftMethod.ChiSquare;
            var verdict = f.Verdict switch { DriftVerdict.Drifted => "[red]DRIFTED[/]", DriftVerdict.Stable => "stable", _ => "too few values" };
            table.AddRow(
                new Text(ReferenceEquals(f, report.Prediction) ? $"{f.Name} (prediction: {(f.Kind == Core.Monitoring.Baselines.FeatureKind.Categorical ? "class label" : "score")})" : f.Name),
                new Text(DriftMethods.ShortName(f.Method)),
                new Text(N(f.Score)),
                new Text(test ? $"p < {N(f.Threshold / Math.Max(1, report.ColumnsJudged))}" : $">= {N(f.Threshold)}"),
                new Markup(verdict),
                new Text(N(f.Psi)),
                new Text(f.KsPValue is { } p ? N(p) : "-"),
                new Text(N(f.JensenShannon)),
                new Text(string.Create(c, $"{f.BaselineMissingRate * 100:0.#}% -> {f.WindowMissingRate * 100:0.#}%")));
        }

        cli.Console.Write(table);
    }

    private static async Task ListAsync(CliContext cli, string path, bool json, CancellationToken ct)
    {
        if (json)
        {
            cli.WriteJson(await cli.Client.GetJsonAsync(path, ct));
            return;
        }

        var table = new Table().AddColumns("id", "version", "from", "to", "rows", "drifted", "features");
        foreach (var s in await cli.Client.GetAsync<DriftReportSummary[]>(path, ct, MonitoringJson.Options))
        {
            table.AddRow(new Text(s.Id.ToString(CultureInfo.InvariantCulture)), new Text(s.Target), new Text($"{s.Start:u}"), new Text($"{s.End:u}"),
                new Text(s.Rows.ToString("N0", CultureInfo.InvariantCulture)), new Text(string.Create(CultureInfo.InvariantCulture, $"{s.DriftedShare * 100:0}%")),
                new Text(string.Join(", ", s.DriftedFeatures) + (s.PredictionDrifted ? " (+prediction)" : "")));
        }

        cli.Console.Write(table);
    }

    private static string N(double value) => double.IsNaN(value) ? "-" : value.ToString(Math.Abs(value) is > 0 and < 1e-4 ? "0.##E+0" : "0.####", CultureInfo.InvariantCulture);
}

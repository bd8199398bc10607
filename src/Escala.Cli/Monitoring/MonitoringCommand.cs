using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Escala.Cli.Client;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Settings;
using Escala.Server.Monitoring;
using Escala.Server.Monitoring.Settings;
using Spectre.Console;

namespace Escala.Cli.Monitoring;

/// <summary><c>escala monitoring show|set ENDPOINT</c>: an endpoint's data-quality policy, drift policy and windows, SLO, OTLP export and ground-truth scoring.</summary>
public static class MonitoringCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var monitoring = new Command("monitoring", "An endpoint's monitoring settings: data quality, drift, windows, SLO, OTLP export.").WithClientOptions();
        monitoring.Subcommands.Add(Show());
        monitoring.Subcommands.Add(Set());
        return monitoring;
    }

    /// <summary>The path of an endpoint's routes.</summary>
    public static string PathOf(string endpoint) => $"api/v1/endpoints/{Uri.EscapeDataString(endpoint)}";

    /// <summary>A duration such as 90s, 10m, 1h or 2d, in seconds; throws a CLI error naming the option otherwise.</summary>
    public static long Seconds(string text, string option) =>
        WindowSetting.Parse(text) is { Seconds: { } seconds }
            ? seconds
            : throw new CliException($"{option} takes a duration such as 90s, 10m, 1h or 2d; got '{text}'.");

    private static Command Show()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint." };
        var json = ClientOptions.Json;
        var command = new Command("show", "Show an endpoint's monitoring settings.") { endpoint, json };
        return command.Runs(async (cli, ct) =>
        {
            var path = $"{PathOf(cli.Get(endpoint)!)}/monitoring";
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync(path, ct));
                return;
            }

            Print(cli, await cli.Client.GetAsync<MonitoringSettingsResponse>(path, ct, MonitoringJson.Options));
        });
    }

    private static Command Set()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint." };
        var file = new Option<FileInfo?>("--file") { Description = "Replace every setting with this JSON file (see docs/monitoring.md); other options then adjust it." };
        var quality = new Option<string?>("--quality") { Description = "flag (answer and count), reject (400 naming the field) or off." };
        quality.AcceptOnlyFromAmong("flag", "reject", "off");
        var tolerance = new Option<double?>("--range-tolerance") { Description = "How far beyond the baseline's range a number may go, as a fraction of the range (default 0.1)." };
        var window = new Option<string?>("--window") { Description = "Drift windows: a duration (1h, 15m) or a row count (5000rows)." };
        var drift = new Option<FileInfo?>("--drift-policy") { Description = "A JSON drift policy: numeric, categorical ({method, threshold}), overrides per feature, alpha, minimumCount, psiBins." };
        var slo = new Option<double?>("--slo") { Description = "The availability objective, e.g. 0.999." };
        var sloDays = new Option<int?>("--slo-days") { Description = "The SLO period in days (default 30)." };
        var otlp = new Option<string?>("--otlp") { Description = "An OTLP/HTTP collector URL to push this endpoint's metrics to, or 'none'." };
        var capture = new Option<int?>("--baseline-from-predictions") { Description = "Build a missing baseline from a version's first N rows (0 turns it off)." };
        var task = new Option<string?>("--task") { Description = "How feedback labels are scored: auto, binary, multiclass or regression." };
        task.AcceptOnlyFromAmong("auto", "binary", "multiclass", "regression");
        var positive = new Option<string?>("--positive-label") { Description = "For binary tasks, the label that means positive (default 1)." };
        var threshold = new Option<double?>("--threshold") { Description = "For binary tasks, the decision threshold on the score (default 0.5)." };
        var json = ClientOptions.Json;
        var command = new Command("set", "Change an endpoint's monitoring settings (the others keep their value).")
        {
            endpoint, file, quality, tolerance, window, drift, slo, sloDays, otlp, capture, task, positive, threshold, json,
        };
        return command.Runs(async (cli, ct) =>
        {
            var path = $"{PathOf(cli.Get(endpoint)!)}/monitoring";
            var settings = cli.Get(file) is { } f
                ? ReadJson<MonitoringSettings>(f, "settings")
                : (await cli.Client.GetAsync<MonitoringSettingsResponse>(path, ct, MonitoringJson.Options)).Settings;
            if (cli.Get(quality) is { } q)
            {
                settings = settings with { Quality = Enum.Parse<QualityPolicy>(q, ignoreCase: true) };
            }

            if (cli.Get(tolerance) is { } t)
            {
                settings = settings with { RangeTolerance = t };
            }

            if (cli.Get(window) is { } w)
            {
                settings = settings with { Window = WindowSetting.Parse(w) ?? throw new CliException($"--window takes a duration (1h, 15m) or a row count (5000rows); got '{w}'.") };
            }

            if (cli.Get(drift) is { } d)
            {
                settings = settings with { Drift = ReadJson<DriftPolicy>(d, "drift policy") };
            }

            if (cli.Get(slo) is { } target)
            {
                settings = settings with { Slo = settings.Slo with { Target = target } };
            }

            if (cli.Get(sloDays) is { } days)
            {
                settings = settings with { Slo = settings.Slo with { PeriodDays = days } };
            }

            if (cli.Get(otlp) is { } url)
            {
                settings = settings with { OtlpEndpoint = url is "none" or "" ? null : url };
            }

            if (cli.Get(capture) is { } rows)
            {
                settings = settings with { BaselineFromPredictions = rows == 0 ? null : rows };
            }

            if (cli.Get(task) is { } kind)
            {
                settings = settings with { GroundTruth = settings.GroundTruth with { Task = Enum.Parse<GroundTruthTask>(kind, ignoreCase: true) } };
            }

            if (cli.Get(positive) is { } label)
            {
                settings = settings with { GroundTruth = settings.GroundTruth with { PositiveLabel = label } };
            }

            if (cli.Get(threshold) is { } cut)
            {
                settings = settings with { GroundTruth = settings.GroundTruth with { Threshold = cut } };
            }

            var updated = await cli.Client.PutAsync<MonitoringSettingsResponse>(path, settings, ct, MonitoringJson.Options);
            if (cli.Get(json))
            {
                cli.WriteJson(JsonSerializer.SerializeToElement(updated, MonitoringJson.Options));
                return;
            }

            Print(cli, updated);
        });
    }

    private static void Print(CliContext cli, MonitoringSettingsResponse response)
    {
        var s = response.Settings;
        var c = CultureInfo.InvariantCulture;
        cli.Line(response.IsDefault
            ? $"{response.Endpoint}: default monitoring settings (nobody changed them)"
            : $"{response.Endpoint}: monitoring settings set {response.UpdatedAt:u} by {response.UpdatedBy}");
        var table = new Table().AddColumns("setting", "value");
        Row(table, "data quality", string.Create(c, $"{s.Quality.ToString().ToLowerInvariant()}, range tolerance {s.RangeTolerance}, missing values flagged: {s.Missing}"));
        Row(table, "drift windows", s.Window.ToString());
        Row(table, "drift (numeric)", Rule(s.Drift.Numeric));
        Row(table, "drift (categorical)", Rule(s.Drift.Categorical));
        Row(table, "drift overrides", s.Drift.Overrides is { Count: > 0 } o ? string.Join(", ", o.Select(p => $"{p.Key}: {Rule(p.Value)}")) : "none");
        Row(table, "significance", string.Create(c, $"alpha {s.Drift.Alpha} (Bonferroni over the columns judged), at least {s.Drift.MinimumCount} values, large windows from {s.Drift.LargeWindow} values, {s.Drift.PsiBins} PSI bins"));
        Row(table, "SLO", string.Create(c, $"{s.Slo.Target * 100:0.###}% over {s.Slo.PeriodDays} days{(s.Slo.FallbacksAreBad ? ", fallbacks count as bad" : "")}"));
        Row(table, "OTLP export", s.OtlpEndpoint ?? "off");
        Row(table, "baseline from predictions", s.BaselineFromPredictions is { } n ? string.Create(c, $"first {n} rows of a version without one") : "off");
        Row(table, "ground truth", string.Create(c, $"{s.GroundTruth.Task.ToString().ToLowerInvariant()}, positive label '{s.GroundTruth.PositiveLabel}', threshold {s.GroundTruth.Threshold}"));
        cli.Console.Write(table);
    }

    private static string Rule(DriftRule rule) => rule.Method switch
    {
        DriftMethod.KolmogorovSmirnov or DriftMethod.ChiSquare => string.Create(CultureInfo.InvariantCulture, $"{rule.Method} test, family-wise alpha {rule.Threshold}"),
        DriftMethod.Auto => string.Create(CultureInfo.InvariantCulture, $"auto: a test (KS or chi-square) on small windows, an effect size >= {rule.Threshold} (Wasserstein/sd or Jensen-Shannon) on large ones"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{rule.Method} >= {rule.Threshold}"),
    };

    private static void Row(Table table, string name, string value) => table.AddRow(new Text(name), new Text(value));

    private static T ReadJson<T>(FileInfo file, string what)
    {
        if (!file.Exists)
        {
            throw new CliException($"The {what} file {file.FullName} does not exist.");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(file.FullName), MonitoringJson.Strict)
                ?? throw new CliException($"The {what} file {file.FullName} holds JSON null.");
        }
        catch (JsonException e)
        {
            throw new CliException($"The {what} file {file.FullName} is not valid: {e.Message}", e);
        }
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Escala.Cli.Tests.Support;
using Escala.Server.Monitoring;
using Escala.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Cli.Tests.Monitoring;

/// <summary>The monitoring commands run as the real executable against a real server: baselines, settings, alert rules, drift reports, alerts and status.</summary>
public sealed class MonitoringCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<CliResult> Fails(Task<CliResult> run, string message)
    {
        var result = await run;
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        return result;
    }

    private static string Csv(int rows, double shift, int seed)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("a,b,c\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Normal(random) + shift:R},{5 + (2 * Normal(random)):R},{random.NextDouble():R}\n");
        }

        return csv.ToString();
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public async Task Baselines_settings_rules_drift_alerts_and_status_through_the_cli()
    {
        await using var server = await EscalaTestServer.StartAsync(configure: b =>
        {
            EscalaTestServer.UseRoutingOnlyStageRules(b);
            b.Services.Configure<MonitoringOptions>(o =>
            {
                o.TickInterval = TimeSpan.FromMilliseconds(50);
                o.EvaluationInterval = TimeSpan.FromMilliseconds(200);
            });
        });
        var (url, admin, folder) = (server.Url, server.AdminKey, server.DataDirectory);
        var onnx = TestModels.Logistic(features: 3, seed: 7);
        await File.WriteAllBytesAsync(Path.Combine(folder, "model.onnx"), onnx, Ct);
        await File.WriteAllTextAsync(Path.Combine(folder, "reference.csv"), Csv(1000, 0, 1), Ct);
        await File.WriteAllTextAsync(Path.Combine(folder, "bad.csv"), "a,b,c\n1,2,3\n4,five,6\n", Ct);

        var registered = await EscalaProcess.RunOkAsync(url, admin, "models", "register", "scorer", Path.Combine(folder, "model.onnx"), "--baseline", Path.Combine(folder, "reference.csv"));
        Assert.Contains("Baseline: reference table, 1,000 rows, features a, b, c; prediction p", registered.Output, StringComparison.Ordinal);
        Assert.Contains("reference, 1,000 rows", (await EscalaProcess.RunOkAsync(url, admin, "models", "show", "scorer")).Output, StringComparison.Ordinal);
        var profile = await EscalaProcess.RunOkAsync(url, admin, "models", "baseline", "scorer", "1");
        Assert.Contains("numeric", profile.Output, StringComparison.Ordinal);
        Assert.Contains(" p ", profile.Output, StringComparison.Ordinal);
        await Fails(EscalaProcess.RunAsync(url, admin, "models", "baseline", "scorer", "1", "--csv", Path.Combine(folder, "bad.csv")),
            "line 3, column 2 ('b'): 'five' is not a number");
        await Fails(EscalaProcess.RunAsync(url, admin, "models", "register", "scorer", Path.Combine(folder, "model.onnx"), "--baseline", Path.Combine(folder, "bad.csv")),
            "(400 invalid-baseline)");

        await Fails(EscalaProcess.RunAsync(url, admin, "monitoring", "set", "scoring", "--quality", "reject"), "There is no endpoint 'scoring'");
        await EscalaProcess.RunOkAsync(url, admin, "endpoints", "create", "scoring");
        await EscalaProcess.RunOkAsync(url, admin, "deploy", "scoring", "scorer:1");
        var set = await EscalaProcess.RunOkAsync(url, admin, "monitoring", "set", "scoring", "--quality", "reject", "--range-tolerance", "1", "--window", "400rows", "--slo", "0.995");
        Assert.Contains("400 rows", set.Output, StringComparison.Ordinal);
        using (var shown = JsonDocument.Parse((await EscalaProcess.RunOkAsync(url, admin, "monitoring", "show", "scoring", "--json")).Output))
        {
            Assert.Equal("reject", shown.RootElement.GetProperty("settings").GetProperty("quality").GetString());
            Assert.Equal(0.995, shown.RootElement.GetProperty("settings").GetProperty("slo").GetProperty("target").GetDouble());
        }

        await Fails(EscalaProcess.RunAsync(url, admin, "monitoring", "set", "scoring", "--window", "soon"), "--window takes a duration");
        await Fails(EscalaProcess.RunAsync(url, admin, "monitoring", "set", "scoring", "--slo", "2"), "slo.target must be a fraction");

        var added = await EscalaProcess.RunOkAsync(url, admin, "alerts", "rules", "add", "moved", "--endpoint", "scoring", "--metric", "drift.share", "--above", "0", "--severity", "critical");
        Assert.Contains("Added alert rule 1 on scoring: 'moved' fires (critical) when drift.share > 0", added.Output, StringComparison.Ordinal);
        await Fails(EscalaProcess.RunAsync(url, admin, "alerts", "rules", "add", "x", "--endpoint", "scoring", "--metric", "cpu", "--above", "1"), "Unknown metric 'cpu'");
        await Fails(EscalaProcess.RunAsync(url, admin, "alerts", "rules", "add", "x", "--endpoint", "scoring", "--metric", "error.rate"), "exactly one of --above or --below");
        Assert.Contains("drift.share > 0", (await EscalaProcess.RunOkAsync(url, admin, "alerts", "rules", "list")).Output, StringComparison.Ordinal);
        Assert.Contains("No alert has fired.", (await EscalaProcess.RunOkAsync(url, admin, "alerts", "list")).Output, StringComparison.Ordinal);
        await Fails(EscalaProcess.RunAsync(url, admin, "drift", "scoring"), "has closed yet");

        // Traffic through the gateway as batch scoring sends it: 400 rows shifted on 'a', in requests of 100 records.
        await File.WriteAllTextAsync(Path.Combine(folder, "shifted.csv"), Csv(400, 2, 9), Ct);
        await EscalaProcess.RunOkAsync(url, admin, "batch", "scoring", "--in", Path.Combine(folder, "shifted.csv"), "--out", Path.Combine(folder, "scored.csv"), "--chunk", "100");

        var html = Path.Combine(folder, "report.html");
        CliResult drift = default!;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            drift = await EscalaProcess.RunAsync(url, admin, "drift", "scoring", "--html", html);
            if (drift.ExitCode == 0)
            {
                break;
            }

            await Task.Delay(100, Ct);
        }

        Assert.True(drift.ExitCode == 0, drift.ToString());
        Assert.Contains("1 of 3 judged features drifted: a", drift.Output, StringComparison.Ordinal);
        Assert.Contains("DRIFTED", drift.Output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', drift.Output); // piped output carries no colour codes
        Assert.Contains($"HTML report with histograms: {html}", drift.Output, StringComparison.Ordinal);
        Assert.Contains("<svg", await File.ReadAllTextAsync(html, Ct), StringComparison.Ordinal);
        Assert.Contains("scorer:1", (await EscalaProcess.RunOkAsync(url, admin, "drift", "scoring", "--list")).Output, StringComparison.Ordinal);

        CliResult alerts = default!;
        for (var attempt = 0; attempt < 100 && (alerts is null || !alerts.Output.Contains("FIRED", StringComparison.Ordinal)); attempt++)
        {
            alerts = await EscalaProcess.RunOkAsync(url, admin, "alerts", "list");
        }

        Assert.Contains("FIRED", alerts.Output, StringComparison.Ordinal);
        Assert.Contains("moved (drift.share)", alerts.Output, StringComparison.Ordinal);
        var status = await EscalaProcess.RunOkAsync(url, admin, "status", "scoring", "--html", Path.Combine(folder, "status.html"));
        Assert.Contains("scoring: 1 alert(s) firing", status.Output, StringComparison.Ordinal);
        Assert.Contains("4 requests", status.Output, StringComparison.Ordinal);

        await EscalaProcess.RunOkAsync(url, admin, "alerts", "rules", "remove", "1");
        await Fails(EscalaProcess.RunAsync(url, admin, "alerts", "rules", "remove", "1"), "There is no alert rule 1");
    }

    [Fact]
    public async Task The_demo_drifts_halfway_fires_the_alert_to_its_webhook_and_reports_which_features_moved()
    {
        var folder = Path.Combine(Path.GetTempPath(), "escala-tests", "demo-mon-" + Guid.NewGuid().ToString("N"));
        try
        {
            var demo = await EscalaProcess.RunOkAsync(null, null, "demo", "--data", folder);
            var lines = demo.Output.Split('\n');
            Assert.Contains("baseline for monitoring: the 20,000 training rows", demo.Output, StringComparison.Ordinal);
            Assert.Contains("webhook received: FIRING warning 'applicants changed' on credit-risk (credit-risk:1):", demo.Output, StringComparison.Ordinal);

            // Window 1 (ordinary applicants) is calm; window 2 (the downturn) moved income and debt, not age.
            var windows = lines.Where(l => l.Contains("credit-risk:1:   400 requests", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, windows.Count);
            Assert.Contains("no feature drifted", windows[0], StringComparison.Ordinal);
            Assert.Contains("drifted: income_k, debt_to_income", windows[1], StringComparison.Ordinal);
            Assert.Contains(lines, l => l.TrimStart().StartsWith("income_k", StringComparison.Ordinal) && l.EndsWith("DRIFTED", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.TrimStart().StartsWith("age", StringComparison.Ordinal) && l.EndsWith("stable", StringComparison.Ordinal));
            Assert.Contains("(800 labels joined with the prediction log)", demo.Output, StringComparison.Ordinal);
            Assert.Contains("<svg", await File.ReadAllTextAsync(Path.Combine(folder, "credit-risk-drift.html"), Ct), StringComparison.Ordinal);
            Assert.Equal("", demo.Error);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}

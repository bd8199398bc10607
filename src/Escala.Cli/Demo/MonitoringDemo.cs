using System.Globalization;
using System.Text.Json;
using Escala.Cli.Client;
using Escala.Core.Monitoring.Drift;
using Escala.Server.Monitoring;
using Escala.Server.Monitoring.Drift;
using Escala.Server.Monitoring.GroundTruth;

namespace Escala.Cli.Demo;

/// <summary>
/// The demo's monitoring part, after the gateway's: the endpoint judges drift over windows of requests against the
/// served version's baseline (its training data, stored at registration), an alert rule posts to a webhook receiver on
/// 127.0.0.1, and halfway through the traffic the applicants change (a downturn). The alert fires, the drift report
/// says which features moved (and writes the HTML page), and the defaults that later became known are sent back as
/// ground truth, so the live accuracy is compared with the registered one.
/// </summary>
public static class MonitoringDemo
{
    private const string Endpoint = "credit-risk";
    private const int Window = 400;

    /// <summary>Runs the monitoring steps: <paramref name="operatorKey"/> runs the endpoint, <paramref name="appKey"/> is the pilot department's application.</summary>
    public static async Task RunAsync(string url, string folder, EscalaClient admin, string operatorKey, string appKey, Action<string> say, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(admin);
        using var asOperator = new EscalaClient(url, operatorKey);
        using var asApp = new EscalaClient(url, appKey);
        await using var receiver = await AlertReceiver.StartAsync(ct);

        await asOperator.PutAsync<JsonElement>($"api/v1/endpoints/{Endpoint}/monitoring", new { window = new { rows = Window } }, ct, MonitoringJson.Options);
        say($"   olivia set drift windows of {Window} requests (count windows for the demo; the default is one hour) and kept the defaults:");
        say("   data quality flag (counted, not refused); drift judged by a test on windows under 1,000 rows (KS, chi-square; Bonferroni-corrected)");
        say("   and by an effect size on larger ones (Wasserstein/sd or Jensen-Shannon >= 0.1), as sensitive as Evidently's defaults");
        var receiverHost = new Uri(receiver.Url).Host;
        await admin.PostAsync<JsonElement>("api/v1/outbound-hosts", new { host = receiverHost, purpose = "webhook" }, ct);
        say($"   the admin allowed webhooks to {receiverHost} (the server calls only hosts on its outbound allow list)");
        await asOperator.PostAsync<JsonElement>("api/v1/alerts/rules", new
        {
            endpoint = Endpoint, name = "applicants changed", metric = "drift.share", threshold = 0, severity = "warning", webhooks = new[] { receiver.Url },
        }, ct, MonitoringJson.Options);
        say($"   alert rule 'applicants changed': any feature drifted in a window -> warning, posted to {receiver.Url} (a receiver in this process)");

        var ordinary = CreditApplications.Generate(Window, seed: 21);
        var downturn = CreditApplications.GenerateDownturn(Window, seed: 22);
        var labels = new List<object>(2 * Window);
        await ScoreAsync(asApp, ordinary, labels, ct);
        say($"   risk's app scored {Window} ordinary applications (window 1)");
        await ScoreAsync(asApp, downturn, labels, ct);
        say($"   then a downturn: {Window} applicants with lower incomes, more debt, fuller credit lines and more late payments (window 2)");

        var alert = await receiver.NextAsync(TimeSpan.FromSeconds(30), ct)
            ?? throw new CliException("No drift alert reached the webhook within 30 s; monitoring is broken.");
        say($"   webhook received: {alert.GetProperty("status").GetString()!.ToUpperInvariant()} {alert.GetProperty("severity").GetString()} " +
            $"'{alert.GetProperty("rule").GetString()}' on {alert.GetProperty("endpoint").GetString()} ({alert.GetProperty("version").GetString()}):");
        say($"     {alert.GetProperty("detail").GetString()}");

        var windows = await admin.GetAsync<DriftReportSummary[]>($"api/v1/endpoints/{Endpoint}/drift/reports", ct, MonitoringJson.Options);
        say("   closed drift windows (the serving steps' traffic was in hour windows, closed when olivia changed the setting):");
        foreach (var w in windows.Reverse())
        {
            say(string.Create(CultureInfo.InvariantCulture,
                $"     #{w.Id} {w.Target}: {w.Rows,5:N0} requests, {(w.DriftedFeatures.Count == 0 ? "no feature drifted" : $"drifted: {string.Join(", ", w.DriftedFeatures)}")}"));
        }

        var report = (await admin.GetAsync<DriftView>($"api/v1/endpoints/{Endpoint}/drift", ct, MonitoringJson.Options)).Report;
        say("   which features moved (latest window vs the training data), most significant first (KS p-value; PSI for reference):");
        foreach (var f in report.Features.OrderBy(f => f.KsPValue ?? f.ChiSquarePValue))
        {
            say(string.Create(CultureInfo.InvariantCulture,
                $"     {f.Name,-20} KS p {f.KsPValue ?? f.ChiSquarePValue,9:0.###e+0}  PSI {f.Psi,6:0.000}  mean {f.BaselineMean,8:0.###} -> {f.WindowMean,8:0.###}  {(f.Verdict == DriftVerdict.Drifted ? "DRIFTED" : "stable")}"));
        }

        if (report.Prediction is { } prediction)
        {
            say(string.Create(CultureInfo.InvariantCulture,
                $"     {"prediction",-20} KS p {prediction.KsPValue ?? prediction.ChiSquarePValue,9:0.###e+0}  PSI {prediction.Psi,6:0.000}  mean {prediction.BaselineMean,8:0.###} -> {prediction.WindowMean,8:0.###}  {(prediction.Verdict == DriftVerdict.Drifted ? "DRIFTED" : "stable")}"));
        }

        var html = Path.Combine(folder, "credit-risk-drift.html");
        await File.WriteAllTextAsync(html, await admin.GetStringAsync($"api/v1/endpoints/{Endpoint}/drift/html", ct), ct);
        say($"   drift report with a histogram per feature: {html}");

        // The outcomes become known later; the application reports them by request id.
        var fed = await SendLabelsAsync(asApp, labels, ct);
        var accuracy = await admin.GetAsync<AccuracyView>($"api/v1/endpoints/{Endpoint}/accuracy?window=1h", ct, MonitoringJson.Options);
        say($"   ground truth: the app reported whether each of the {labels.Count:N0} applicants defaulted ({fed.Accepted:N0} labels joined with the prediction log)");
        foreach (var v in accuracy.Versions)
        {
            say(string.Create(CultureInfo.InvariantCulture,
                $"     {v.Target}, {v.Labels:N0} labels: log loss {Get(v.Metrics, "log_loss"):0.000} (registered on the holdout {Get(v.Registered, "log_loss"):0.000}), AUC {Get(v.Metrics, "auc"):0.000} ({Get(v.Registered, "auc"):0.000}), accuracy {Get(v.Metrics, "accuracy"):0.000} ({Get(v.Registered, "accuracy"):0.000})"));
        }
    }

    private static double Get(IReadOnlyDictionary<string, double> values, string key) => values.TryGetValue(key, out var v) ? v : double.NaN;

    private static async Task ScoreAsync(EscalaClient app, CreditApplications applications, List<object> labels, CancellationToken ct)
    {
        for (var i = 0; i < applications.Count; i++)
        {
            var record = new Dictionary<string, double>(StringComparer.Ordinal);
            for (var j = 0; j < CreditApplications.FeatureNames.Length; j++)
            {
                record[CreditApplications.FeatureNames[j]] = Math.Round(applications.Features[i][j], 4);
            }

            var answer = await app.PostAsync<JsonElement>($"v1/endpoints/{Endpoint}/predict", new { records = new[] { record } }, ct);
            labels.Add(new { requestId = answer.GetProperty("requestId").GetString(), label = applications.Defaulted[i] });
        }
    }

    // The prediction log writes in batches just after the answers; labels for lines not written yet are sent again.
    private static async Task<FeedbackResult> SendLabelsAsync(EscalaClient app, List<object> labels, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await app.PostAsync<FeedbackResult>($"v1/endpoints/{Endpoint}/feedback", new { labels }, ct, MonitoringJson.Options);
            if (result.Rejected == 0 || attempt == 10)
            {
                return result;
            }

            await Task.Delay(200, ct);
        }
    }
}

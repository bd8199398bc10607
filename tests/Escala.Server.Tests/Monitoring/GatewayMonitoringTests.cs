using System.Net;
using System.Text;
using System.Text.Json;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Problems;
using Escala.Server.Monitoring.Drift;
using Escala.Server.Predictions;
using Escala.Server.Serving;
using Escala.Testing;

namespace Escala.Server.Tests.Monitoring;

/// <summary>
/// Monitoring as a user of the gateway meets it: requests to <c>/v1/endpoints/{e}/predict</c> and
/// <c>/v2/models/{e}/infer</c> move the counters of endpoint x version x department, the data-quality policy refuses
/// or flags rows, failures and fallbacks are counted under whoever answered, a shadow's answers feed its own drift
/// window, and <c>Monitoring:Enabled=false</c> takes all of it off the request path.
/// </summary>
public sealed class GatewayMonitoringTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Metric(string text, string series)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"/metrics has no {series}");
        return line[(series.Length + 1)..];
    }

    private static long Count(string text, string series) =>
        text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal)) is { } line
            ? long.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    private static StringContent V2Body(params float[][] rows)
    {
        var data = string.Join(',', rows.SelectMany(r => r).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        return new StringContent($$"""{"inputs":[{"name":"x","shape":[{{rows.Length}},3],"datatype":"FP32","data":[{{data}}]}]}""", Encoding.UTF8, "application/json");
    }

    [Fact]
    public async Task Requests_through_both_prediction_apis_are_counted_per_version_and_department_as_the_answers_say()
    {
        await using var world = await MonitoringWorld.StartAsync();
        await world.Server.CreateDepartmentAsync("risk");
        await world.Server.CreateDepartmentAsync("retail");
        await world.RegisterAsync();
        await world.RegisterAsync(MonitoringWorld.ReferenceCsv(1000, seed: 3), seed: 8);
        await world.DeployAsync(new { version = "scorer:2", strategy = "split", percent = 50 });

        var risk = await world.ServeAsync(60, rowsPerRequest: 2, department: "risk");
        var retail = await world.ServeAsync(40, seed: 5000, department: "retail");
        for (var i = 0; i < 3; i++)
        {
            using var response = await world.Admin.PostAsync($"v2/models/{MonitoringWorld.Endpoint}/infer", V2Body([0.1f, 5, 0.5f]), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await world.SettleAsync(103);
        var text = await world.Admin.GetStringAsync("metrics", Ct);
        foreach (var (department, served) in new[] { ("risk", risk), ("retail", retail) })
        {
            var byVersion = served.Answers.GroupBy(a => a.Version).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(["scorer:1", "scorer:2"], byVersion.Keys.Order());
            foreach (var (version, count) in byVersion)
            {
                var labels = $"endpoint=\"scoring\",version=\"{version}\",department=\"{department}\"";
                Assert.Equal(count.ToString(System.Globalization.CultureInfo.InvariantCulture), Metric(text, $"escala_requests_total{{{labels}}}"));
                Assert.Equal(Metric(text, $"escala_requests_total{{{labels}}}"), Metric(text, $"escala_request_duration_seconds_count{{{labels}}}"));
                Assert.Equal("0", Metric(text, $"escala_request_errors_total{{{labels}}}"));
            }
        }

        var v2 = Count(text, "escala_requests_total{endpoint=\"scoring\",version=\"scorer:1\",department=\"\"}");
        Assert.Equal(3, v2 + Count(text, "escala_requests_total{endpoint=\"scoring\",version=\"scorer:2\",department=\"\"}"));

        // Every answered row is in its version's drift window: 2 per risk request, 1 per retail and v2 request.
        var rows1 = (await world.Admin.GetAsync<DriftView>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift?window=current&version=scorer:1")).Report.Rows;
        var rows2 = (await world.Admin.GetAsync<DriftView>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift?window=current&version=scorer:2")).Report.Rows;
        Assert.Equal((60 * 2) + 40 + 3, rows1 + rows2);
        Assert.Equal((risk.Answers.Count(x => x.Version == "scorer:1") * 2) + retail.Answers.Count(x => x.Version == "scorer:1") + v2, rows1);
    }

    [Fact]
    public async Task Reject_refuses_a_bad_row_with_400_naming_the_field_and_changes_nothing_and_flag_answers_and_counts_it()
    {
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync();
        await world.SetSettingsAsync(new { quality = "reject" });
        var monitor = await world.MonitorAsync();
        await world.ServeAsync(5);
        float[][] bad = [[0.1f, 5, 0.5f], [0.2f, 1000, 0.5f], [0.3f, 4, 0.2f]];

        using (var refused = await world.PredictAsync(bad))
        {
            var detail = await refused.AssertProblemAsync(ProblemTypes.InvalidInput, "Row 1: Field 'b' is 1000, outside the accepted range");
            Assert.Contains("(the baseline's range plus tolerance)", detail, StringComparison.Ordinal);
            using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)))
            {
                Assert.Equal("b", problem.RootElement.GetProperty("field").GetString());
            }

            var requestId = refused.Headers.GetValues(PredictionFlow.RequestIdHeader).Single();

            // The v2 API is held to the same policy.
            using var v2 = await world.Admin.PostAsync($"v2/models/{MonitoringWorld.Endpoint}/infer", V2Body(bad), Ct);
            await v2.AssertProblemAsync(ProblemTypes.InvalidInput, "Field 'b' is 1000");

            // Nothing changed: a later good request is logged, the refused one never is; no row reached the window.
            await world.ServeAsync(1, seed: 77);
            await world.SettleAsync(8);
            var log = await world.Admin.GetStringAsync($"api/v1/endpoints/{MonitoringWorld.Endpoint}/predictions?limit=100", Ct);
            Assert.DoesNotContain(requestId, log, StringComparison.Ordinal);
            var window = await world.Admin.GetAsync<DriftView>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift?window=current");
            Assert.Equal(6, window.Report.Rows);
            Assert.Equal(2, monitor.RequestsRejected);
        }

        var text = await world.Admin.GetStringAsync("metrics", Ct);
        Assert.Equal("2", Metric(text, "escala_request_rejections_total{endpoint=\"scoring\",version=\"scorer:1\",department=\"\",reason=\"quality\"}"));
        Assert.Equal("8", Metric(text, "escala_requests_total{endpoint=\"scoring\",version=\"scorer:1\",department=\"\"}"));

        await world.SetSettingsAsync(new { quality = "flag" });
        var flagging = await world.MonitorAsync();
        using (var answered = await world.PredictAsync(bad))
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        // Counters are cumulative for the life of the endpoint (Prometheus semantics): the settings change rebuilt the
        // monitor, and the two rows refused before it still count beside the one flagged after it.
        await world.SettleAsync(9);
        Assert.Equal((3, 2), (flagging.RowsFlagged, flagging.RequestsRejected));
        text = await world.Admin.GetStringAsync("metrics", Ct);
        Assert.Equal("3", Metric(text, "escala_quality_issues_total{endpoint=\"scoring\",version=\"scorer:1\",feature=\"b\",problem=\"out_of_range\"}"));
        Assert.Equal("3", Metric(text, "escala_quality_rows_flagged_total{endpoint=\"scoring\",version=\"scorer:1\"}"));
        // The settings change closed the 6-row window; the flagged request's rows opened the next one.
        Assert.Equal(3, (await world.Admin.GetAsync<DriftView>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift?window=current")).Report.Rows);
    }

    [Fact]
    public async Task Failures_and_fallbacks_are_counted_under_whoever_answered()
    {
        await using var sink = await HttpSink.StartAsync();
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync();
        await world.DeployBrokenBackendAsync(sink, "partner");

        var broken = await world.ServeAsync(4, department: "partner");
        Assert.Equal(4, broken.Failed);

        // With the local version as the fallback, the same requests are answered, flagged as fallbacks.
        (await world.Admin.PutJsonAsync($"api/v1/endpoints/{MonitoringWorld.Endpoint}/fallback", new { version = MonitoringWorld.Target })).EnsureSuccessStatusCode();
        var rescued = await world.ServeAsync(3, department: "partner", seed: 900);
        Assert.Equal(3, rescued.Answered);

        var text = await world.Admin.GetStringAsync("metrics", Ct);
        Assert.Equal("4", Metric(text, "escala_request_errors_total{endpoint=\"scoring\",version=\"none\",department=\"partner\"}"));
        Assert.Equal("3", Metric(text, "escala_request_fallbacks_total{endpoint=\"scoring\",version=\"scorer:1\",department=\"partner\"}"));
        Assert.Equal(3, (await world.Admin.GetAsync<DriftView>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift?window=current&version=scorer:1")).Report.Rows);
    }

    [Fact]
    public async Task A_shadow_versions_answers_feed_its_own_drift_window_and_are_not_counted_as_requests()
    {
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync();
        await world.RegisterAsync(MonitoringWorld.ReferenceCsv(1000, seed: 3), seed: 8);
        await world.DeployAsync(new { version = "scorer:2", strategy = "shadow" });

        var served = await world.ServeAsync(150, shift: 2);
        Assert.All(served.Answers, a => Assert.Equal(MonitoringWorld.Target, a.Version));

        var shadow = await world.MonitorAsync("scorer:2");
        await Eventually.TrueAsync(() => Task.FromResult(shadow.Window!.Peek().Rows == 150), "the shadow's 150 rows");
        var report = await world.Admin.GetAsync<DriftView>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift?window=current&version=scorer:2");
        Assert.Equal(150, report.Report.Rows);
        Assert.Equal(DriftVerdict.Drifted, report.Report.Features.Single(f => f.Name == "a").Verdict);
        Assert.NotNull(report.Report.Prediction);
        var text = await world.Admin.GetStringAsync("metrics", Ct);
        Assert.DoesNotContain("escala_requests_total{endpoint=\"scoring\",version=\"scorer:2\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_monitoring_disabled_no_observer_is_on_the_request_path()
    {
        await using var world = await MonitoringWorld.StartAsync(null, null, new Dictionary<string, string?> { ["Monitoring:Enabled"] = "false" });
        await world.RegisterAsync();
        await world.SetSettingsAsync(new { quality = "reject" });
        await world.MonitorAsync();

        Assert.True(world.Server.Service<PredictionExecutor>().Observers.IsEmpty);
        using var response = await world.PredictAsync([[0.2f, 1000, 0.5f]]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await world.ServeAsync(10);
        Assert.Equal(0, world.Recorded());
        Assert.DoesNotContain("escala_requests_total{endpoint=\"scoring\"", await world.Admin.GetStringAsync("metrics", Ct), StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(await world.Admin.GetStringAsync($"api/v1/endpoints/{MonitoringWorld.Endpoint}", Ct));
        Assert.Equal(11, doc.RootElement.GetProperty("targets")[0].GetProperty("answered").GetInt64());
    }
}

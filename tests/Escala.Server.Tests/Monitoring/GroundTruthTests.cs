using System.Net;
using System.Text.Json;
using Escala.Core.Access;
using Escala.Core.Monitoring.Alerts;
using Escala.Core.Problems;
using Escala.Server.Monitoring.GroundTruth;
using Escala.Testing;

namespace Escala.Server.Tests.Monitoring;

/// <summary>
/// Ground truth through the real gateway: predictions made with the records API are logged, labels posted to
/// <c>/v1/endpoints/{e}/feedback</c> later are joined with them by request id (refused with the reason for an unknown,
/// sampled-out or failed request), scored per version and department, and a drop against the registered accuracy fires.
/// </summary>
public sealed class GroundTruthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> SendLabelsAsync(HttpClient client, params object[] labels) =>
        await client.PostJsonAsync($"v1/endpoints/{MonitoringWorld.Endpoint}/feedback", new { labels });

    private static async Task<FeedbackResult> LabelsOkAsync(HttpClient client, params object[] labels)
    {
        using var response = await SendLabelsAsync(client, labels);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonSerializer.Deserialize<FeedbackResult>(body, Server.Monitoring.MonitoringJson.Options)!;
    }

    /// <summary>Waits until the prediction log holds <paramref name="requestId"/> (it is written in batches after the answer).</summary>
    private static Task LoggedAsync(MonitoringWorld world, string requestId) =>
        Eventually.TrueAsync(async () => (await world.Admin.GetStringAsync($"api/v1/endpoints/{MonitoringWorld.Endpoint}/predictions?requestId={requestId}", Ct)).Contains(requestId, StringComparison.Ordinal),
            $"request {requestId} in the prediction log");

    [Fact]
    public async Task Labels_join_the_logged_predictions_per_version_and_department_and_a_drop_against_the_registered_accuracy_fires()
    {
        await using var world = await MonitoringWorld.StartAsync(o => o.EvaluationInterval = TimeSpan.FromMilliseconds(200));
        await world.Server.CreateDepartmentAsync("risk");
        await world.Server.CreateDepartmentAsync("retail");
        var riskKey = await world.CreateKeyAsync("risk-app", Role.Viewer, "risk");
        await world.RegisterAsync();
        await world.Admin.PostJsonAsync("api/v1/alerts/rules", new { endpoint = MonitoringWorld.Endpoint, name = "accuracy fell", metric = "accuracy.drop", accuracyMetric = "accuracy", threshold = 0.1, severity = "critical" });

        var risk = await world.ServeAsync(20, department: "risk");
        var retail = await world.ServeAsync(20, seed: 3000, department: "retail");
        await LoggedAsync(world, retail.Answers[^1].RequestId);

        // The truth agrees with every risk prediction and contradicts every retail one: accuracy 1 and 0, 0.5 overall.
        object Label((string RequestId, string Version, float[] P) answer, bool agree) => new { requestId = answer.RequestId, label = (answer.P[0] >= 0.5) == agree ? 1 : 0 };
        var result = await LabelsOkAsync(world.Admin, [.. risk.Answers.Select(a => Label(a, true)), .. retail.Answers.Select(a => Label(a, false)), new { requestId = "nope", label = 1 }]);
        Assert.Equal((40, 0, 1), (result.Accepted, result.Updated, result.Rejected));
        Assert.Contains("unknown request id 'nope'", result.Errors.Single().Reason, StringComparison.Ordinal);

        var view = await world.Admin.GetAsync<AccuracyView>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/accuracy?window=1h");
        var entry = Assert.Single(view.Versions);
        Assert.Equal((MonitoringWorld.Target, 40), (entry.Target, entry.Labels));
        Assert.Equal(0.5, entry.Metrics["accuracy"], 12);
        Assert.Equal(0.9, entry.Registered["accuracy"], 12);
        Assert.Equal(0.4, entry.Drop["accuracy"], 12);
        var byDepartment = await world.Admin.GetAsync<AccuracyView>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/accuracy?window=1h&by=department");
        Assert.Equal([("retail", 0.0), ("risk", 1.0)], byDepartment.Versions.OrderBy(v => v.Department).Select(v => (v.Department, v.Metrics["accuracy"])));

        await Eventually.TrueAsync(async () => (await world.Admin.GetAsync<AlertEvent[]>("api/v1/alerts")).Any(e => e.Rule == "accuracy fell"), "the accuracy alert");
        var alert = (await world.Admin.GetAsync<AlertEvent[]>("api/v1/alerts")).Single();
        Assert.Equal((MonitoringWorld.Target, 0.4), (alert.Series, Math.Round(alert.Value, 12)));
        Assert.Contains("registered 0.9", alert.Detail, StringComparison.Ordinal);
        var metrics = await world.Admin.GetStringAsync("metrics", Ct);
        Assert.Contains("escala_accuracy{endpoint=\"scoring\",version=\"scorer:1\",department=\"risk\",metric=\"accuracy\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("escala_accuracy_drop{endpoint=\"scoring\",version=\"scorer:1\",metric=\"accuracy\"} 0.4", metrics, StringComparison.Ordinal);

        // A correction replaces the label; the risk application may label only its department's requests.
        var correction = await LabelsOkAsync(world.Admin, Label(retail.Answers[5], true));
        Assert.Equal((0, 1, 0), (correction.Accepted, correction.Updated, correction.Rejected));
        var scoped = await LabelsOkAsync(world.Server.Client(riskKey), Label(risk.Answers[1], false), Label(retail.Answers[10], true));
        Assert.Equal((0, 1, 1), (scoped.Accepted, scoped.Updated, scoped.Rejected));
        Assert.Contains("outside your key's scope", scoped.Errors.Single().Reason, StringComparison.Ordinal);

        await (await world.Admin.GetAsync($"api/v1/endpoints/{MonitoringWorld.Endpoint}/accuracy?window=soon", Ct)).AssertProblemAsync(ProblemTypes.ValidationFailed, "window must be");
    }

    [Fact]
    public async Task Labels_for_requests_the_log_does_not_hold_or_that_failed_are_refused_with_the_reason_and_nothing_is_stored()
    {
        await using var sink = await HttpSink.StartAsync();
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync();
        await world.DeployBrokenBackendAsync(sink, "partner");
        var failed = await world.PredictAsync([[0.1f, 5, 0.5f]], department: "partner");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        var failedId = failed.Headers.GetValues("X-Escala-Request-Id").Single();

        // Sampled out: an endpoint that logs no request.
        (await world.Admin.PatchAsync($"api/v1/endpoints/{MonitoringWorld.Endpoint}/settings",
            JsonContent(new { logSampleRate = 0.0 }), Ct)).EnsureSuccessStatusCode();
        var unlogged = await world.ServeAsync(1, seed: 50);
        (await world.Admin.PatchAsync($"api/v1/endpoints/{MonitoringWorld.Endpoint}/settings",
            JsonContent(new { logSampleRate = 1.0 }), Ct)).EnsureSuccessStatusCode();
        var logged = await world.ServeAsync(1, seed: 60);
        await LoggedAsync(world, logged.Answers[0].RequestId);
        await LoggedAsync(world, failedId);
        await world.Server.Service<Server.Monitoring.Live.DurableCounts>().FlushAsync(Ct);
        var before = StateSnapshot.Take(world.Server.DataDirectory);

        using (var response = await SendLabelsAsync(world.Admin, new { requestId = unlogged.Answers[0].RequestId, label = 1 }, new { requestId = failedId, label = 0 }))
        {
            var detail = await response.AssertProblemAsync(ProblemTypes.ValidationFailed, "No label was stored: 2 refused.");
            Assert.Contains("sampled out", detail, StringComparison.Ordinal);
            Assert.Contains("the request failed (error)", detail, StringComparison.Ordinal);
        }

        await (await SendLabelsAsync(world.Admin, new { requestId = logged.Answers[0].RequestId, label = "maybe" })).AssertProblemAsync(ProblemTypes.ValidationFailed, "has no predicted label");
        await (await SendLabelsAsync(world.Admin)).AssertProblemAsync(ProblemTypes.ValidationFailed, "Send between 1 and");
        await (await world.Admin.PostJsonAsync($"v1/endpoints/{MonitoringWorld.Endpoint}/feedback", new { labels = Array.Empty<object>(), extra = 1 }))
            .AssertProblemAsync(ProblemTypes.ValidationFailed, "extra");
        await (await world.Admin.PostJsonAsync("v1/endpoints/elsewhere/feedback", new { labels = new[] { new { requestId = "x", label = 1 } } }))
            .AssertProblemAsync(ProblemTypes.NotFound, "There is no endpoint 'elsewhere'");
        Assert.Equal(before, StateSnapshot.Take(world.Server.DataDirectory));

        var stored = await LabelsOkAsync(world.Admin, new { requestId = logged.Answers[0].RequestId, label = true });
        Assert.Equal(1, stored.Accepted);
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}

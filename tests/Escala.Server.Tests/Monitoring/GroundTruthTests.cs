using System.Collections.Concurrent;
using System.Text.Json;
using Escala.Core.Access;
using Escala.Core.Monitoring.Accuracy;
using Escala.Core.Monitoring.Alerts;
using Escala.Server.Monitoring.GroundTruth;
using Escala.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Tests.Monitoring;

/// <summary>
/// Ground truth on a real server: labels joined with logged answers, refused with reasons, stored (a second label
/// corrects the first), windowed metrics per version and department, the drop against the registered metrics as an
/// alert, and /metrics. The prediction log here is a hand-written lookup of answers the test logs itself.
/// </summary>
public sealed class GroundTruthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A prediction log held in memory: the answers the test says were served.</summary>
    private sealed class LoggedAnswers : IPredictionLookup
    {
        public ConcurrentDictionary<(string Endpoint, string RequestId), LoggedAnswer> Answers { get; } = new();

        public Task<LoggedAnswer?> FindAsync(string endpoint, string requestId, CancellationToken cancellationToken = default) =>
            Task.FromResult(Answers.TryGetValue((endpoint, requestId), out var answer) ? answer : null);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public async Task Labels_are_joined_scored_per_version_and_department_and_a_drop_against_the_registered_accuracy_fires()
    {
        var log = new LoggedAnswers();
        await using var server = await EscalaTestServer.StartAsync(configure: b =>
        {
            b.Services.AddSingleton<IPredictionLookup>(log);
            b.Services.Configure<Server.Monitoring.MonitoringOptions>(o => o.EvaluationInterval = TimeSpan.FromMilliseconds(200));
        });
        await server.CreateDepartmentAsync("risk");
        await server.CreateDepartmentAsync("retail");
        var riskKey = await server.CreateKeyAsync("risk-app", Role.Viewer, "risk");
        var registered = await server.Admin().RegisterOkAsync("scorer", TestModels.Logistic(3, 7),
            new Server.Registry.RegisterVersionMetadata(Metrics: Json("""{"accuracy": 0.9, "auc": 0.95}""")));
        Assert.Equal(1, registered.Version);
        await server.Admin().PostJsonAsync("api/v1/alerts/rules", new { endpoint = "scoring", name = "accuracy fell", metric = "accuracy.drop", accuracyMetric = "accuracy", threshold = 0.1, severity = "critical" });

        // 40 answers: the model says p = 0.8 for the first 20 (risk), 0.3 for the rest (retail); the truth is always positive.
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 40; i++)
        {
            log.Answers[("scoring", $"r{i}")] = new LoggedAnswer("scorer:1", i < 20 ? "risk" : "retail", now.AddMinutes(-i), Json(i < 20 ? """[{"p":[0.8]}]""" : """[{"p":[0.3]}]"""));
        }

        var feedback = server.Service<FeedbackService>();
        var items = Enumerable.Range(0, 40).Select(i => new FeedbackItem($"r{i}", Json("1"))).Append(new FeedbackItem("nope", Json("1"))).ToList();
        var result = await feedback.SubmitAsync(Principal.System, "scoring", items, Ct);
        Assert.Equal((40, 0, 1), (result.Accepted, result.Updated, result.Rejected));
        Assert.Contains("unknown request id 'nope'", result.Errors.Single().Reason, StringComparison.Ordinal);

        var view = await server.Admin().GetAsync<AccuracyView>("api/v1/endpoints/scoring/accuracy?window=1h");
        var entry = Assert.Single(view.Versions);
        Assert.Equal(40, entry.Labels);
        Assert.Equal(0.5, entry.Metrics["accuracy"], 12);
        Assert.Equal(0.9, entry.Registered["accuracy"], 12);
        Assert.Equal(0.4, entry.Drop["accuracy"], 12);
        var byDepartment = await server.Admin().GetAsync<AccuracyView>("api/v1/endpoints/scoring/accuracy?window=1h&by=department");
        Assert.Equal([1.0, 0.0], byDepartment.Versions.OrderBy(v => v.Department).Select(v => v.Metrics["accuracy"]).Reverse());

        await Eventually.TrueAsync(async () => (await server.Admin().GetAsync<AlertEvent[]>("api/v1/alerts")).Any(e => e.Rule == "accuracy fell"), "the accuracy alert");
        var alert = (await server.Admin().GetAsync<AlertEvent[]>("api/v1/alerts")).Single();
        Assert.Equal(("scorer:1", 0.4), (alert.Series, Math.Round(alert.Value, 12)));
        Assert.Contains("registered 0.9", alert.Detail, StringComparison.Ordinal);
        var metrics = await server.Admin().GetStringAsync("metrics", Ct);
        Assert.Contains("escala_accuracy{endpoint=\"scoring\",version=\"scorer:1\",department=\"risk\",metric=\"accuracy\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("escala_accuracy_drop{endpoint=\"scoring\",version=\"scorer:1\",metric=\"accuracy\"} 0.4", metrics, StringComparison.Ordinal);

        // A correction replaces the label; a key scoped to risk may not label retail's requests.
        var correction = await feedback.SubmitAsync(Principal.System, "scoring", [new FeedbackItem("r25", Json("0"))], Ct);
        Assert.Equal((0, 1, 0), (correction.Accepted, correction.Updated, correction.Rejected));
        var scoped = await feedback.SubmitAsync(
            new Principal("k", "risk-app", Role.Viewer, ["risk"]), "scoring", [new FeedbackItem("r1", Json("0")), new FeedbackItem("r30", Json("0"))], Ct);
        Assert.Equal((0, 1, 1), (scoped.Accepted, scoped.Updated, scoped.Rejected));
        Assert.Contains("outside your key's scope", scoped.Errors.Single().Reason, StringComparison.Ordinal);
        Assert.NotEmpty(riskKey);

        await (await server.Admin().GetAsync("api/v1/endpoints/scoring/accuracy?window=soon", Ct)).AssertProblemAsync(Core.Problems.ProblemTypes.ValidationFailed, "window must be");
    }
}

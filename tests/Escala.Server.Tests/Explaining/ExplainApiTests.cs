using System.Text.Json;
using Escala.Core.Problems;
using Escala.Server.Explaining;
using Escala.Server.Tests.Monitoring;
using Escala.Testing;

namespace Escala.Server.Tests.Explaining;

/// <summary>Explanations through the real server: the version the endpoint routes to, its stored background, both protocols.</summary>
public sealed class ExplainApiTests
{
    private static readonly object Records = new { records = new[] { new { a = 0.5, b = 7.0, c = 0.2 }, new { a = -1.2, b = 3.5, c = 0.9 } } };

    [Fact]
    public async Task Records_are_explained_exactly_against_the_registered_baseline_sample()
    {
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync();

        var response = await world.Admin.PostJsonAsync("v1/endpoints/scoring/explain", Records);
        var explanation = await response.ReadAsync<ExplanationResponse>();

        Assert.Equal("linear-exact", explanation.Method);
        Assert.True(explanation.Exact);
        Assert.Equal("margin", explanation.Space);
        Assert.Equal(200, explanation.BackgroundRows);
        Assert.Equal(["a", "b", "c"], explanation.Features);
        var output = Assert.Single(explanation.Outputs);
        Assert.Equal(2, output.Rows.Count);

        // The margin is the logit of the probability the endpoint serves for the same records.
        var predicted = await (await world.Admin.PostJsonAsync("v1/endpoints/scoring/predict", Records)).ReadAsync<JsonElement>();
        for (var r = 0; r < 2; r++)
        {
            var row = output.Rows[r];
            Assert.Equal(row.Value, output.ExpectedValue + row.Attributions.Values.Sum(), 1e-9);
            var p = predicted.GetProperty("predictions")[r].GetProperty("p")[0].GetDouble();
            Assert.Equal(Math.Log(p / (1 - p)), row.Value, 1e-4);
        }
    }

    [Fact]
    public async Task An_oip_request_is_explained_and_the_sampling_estimate_carries_standard_errors()
    {
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync();
        var body = new { inputs = new[] { new { name = "x", datatype = "FP32", shape = new[] { 1, 3 }, data = new[] { 0.5, 7.0, 0.2 } } } };

        var exact = await (await world.Admin.PostJsonAsync("v2/models/scoring/explain", body)).ReadAsync<ExplanationResponse>();
        var sampled = await (await world.Admin.PostJsonAsync("v2/models/scoring/explain?method=sampling-approximate&permutations=400", body)).ReadAsync<ExplanationResponse>();

        Assert.Equal("linear-exact", exact.Method);
        Assert.Equal("sampling-approximate", sampled.Method);
        Assert.False(sampled.Exact);
        Assert.Equal("output", sampled.Space);
        var row = Assert.Single(Assert.Single(sampled.Outputs).Rows);
        Assert.NotNull(row.StandardErrors);
        Assert.Equal(row.Value, sampled.Outputs[0].ExpectedValue + row.Attributions.Values.Sum(), 1e-5);
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_problem_details()
    {
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync();

        var wrongType = await world.Admin.PostJsonAsync("v1/endpoints/scoring/explain", new { records = new[] { new { a = "high", b = 1.0, c = 2.0 } } });
        await wrongType.AssertProblemAsync(ProblemTypes.InvalidInput);
        var oipShape = await world.Admin.PostJsonAsync("v2/models/scoring/explain", new { inputs = new[] { new { name = "x", datatype = "FP32", shape = new[] { 1, 2 }, data = new[] { 0.5, 7.0 } } } });
        await oipShape.AssertProblemAsync(ProblemTypes.InvalidInput);
        var unknownMethod = await world.Admin.PostJsonAsync("v1/endpoints/scoring/explain?method=lime", Records);
        await unknownMethod.AssertProblemAsync(ProblemTypes.ValidationFailed, "lime");
        var treesOnLinear = await world.Admin.PostJsonAsync("v1/endpoints/scoring/explain?method=tree-interventional", Records);
        await treesOnLinear.AssertProblemAsync(ProblemTypes.ExplanationUnavailable, "linear");
        var unknownEndpoint = await world.Admin.PostJsonAsync("v1/endpoints/nope/explain", Records);
        await unknownEndpoint.AssertProblemAsync(ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_version_without_a_baseline_cannot_be_explained_interventionally()
    {
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync(csv: null);

        var response = await world.Admin.PostJsonAsync("v1/endpoints/scoring/explain", Records);

        await response.AssertProblemAsync(ProblemTypes.ExplanationUnavailable, "background");
    }

    [Fact]
    public async Task Global_importance_over_logged_predictions_is_served_and_written_into_the_card()
    {
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync();
        for (var i = 0; i < 10; i++)
        {
            var answer = await world.Admin.PostJsonAsync("v1/endpoints/scoring/predict", Records);
            Assert.True(answer.IsSuccessStatusCode);
        }

        var log = world.Server.Service<Escala.Core.PredictionLog.IPredictionLogStore>();
        await Poll.UntilAsync(async () => (await log.QueryAsync(new Escala.Core.PredictionLog.PredictionLogQuery("scoring"), TestContext.Current.CancellationToken)).Count == 10,
            TimeSpan.FromSeconds(30), "ten logged requests");

        var report = await (await world.Admin.GetAsync("api/v1/endpoints/scoring/importance?window=1h", TestContext.Current.CancellationToken)).ReadAsync<ImportanceReport>();
        var written = await world.Admin.PostJsonAsync("api/v1/endpoints/scoring/importance/card?window=1h", null);
        var card = await (await world.Admin.GetAsync("api/v1/models/scorer/versions/1/card", TestContext.Current.CancellationToken)).ReadAsync<JsonElement>();
        var badWindow = await world.Admin.GetAsync("api/v1/endpoints/scoring/importance?window=forever", TestContext.Current.CancellationToken);

        Assert.Equal(20, report.Rows);
        Assert.Equal("linear-exact", report.Method);
        Assert.Equal(["a", "b", "c"], report.Features.Select(f => f.Feature).Order());
        Assert.True(report.Features[0].MeanAbsoluteAttribution >= report.Features[^1].MeanAbsoluteAttribution);
        Assert.True(written.IsSuccessStatusCode);
        Assert.Contains("## Feature importance", card.GetProperty("markdown").GetString(), StringComparison.Ordinal);
        await badWindow.AssertProblemAsync(ProblemTypes.ValidationFailed, "forever");
    }
}

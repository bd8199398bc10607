using System.Net;
using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Testing;

namespace Escala.Server.Tests.Monitoring;

/// <summary>Monitoring settings and alert rules over HTTP: validated with every problem named, audited, refused without changing anything.</summary>
public sealed class SettingsAndRulesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Settings = $"api/v1/endpoints/{MonitoringWorld.Endpoint}/monitoring";

    [Fact]
    public async Task Settings_start_as_documented_defaults_and_a_change_is_audited()
    {
        await using var world = await MonitoringWorld.StartAsync();
        var defaults = (await world.Admin.JsonAsync(Settings))!.Value;
        Assert.True(defaults.GetProperty("isDefault").GetBoolean());
        var s = defaults.GetProperty("settings");
        Assert.Equal("flag", s.GetProperty("quality").GetString());
        Assert.Equal(0.1, s.GetProperty("drift").GetProperty("numeric").GetProperty("threshold").GetDouble());
        Assert.Equal("auto", s.GetProperty("drift").GetProperty("numeric").GetProperty("method").GetString());
        Assert.Equal(1000, s.GetProperty("drift").GetProperty("largeWindow").GetInt64());
        Assert.Equal(3600, s.GetProperty("window").GetProperty("seconds").GetInt64());
        Assert.Equal(0.999, s.GetProperty("slo").GetProperty("target").GetDouble());

        await world.SetSettingsAsync(new
        {
            quality = "reject",
            drift = new { numeric = new { method = "wasserstein", threshold = 0.25 }, overrides = new Dictionary<string, object> { ["c"] = new { method = "kolmogorovSmirnov", threshold = 0.05 } } },
            window = new { rows = 1000 },
            otlpEndpoint = "http://127.0.0.1:4318",
        });
        var audit = await world.Admin.GetStringAsync("api/v1/audit?subject=endpoint/scoring/monitoring", Ct);
        Assert.Contains("monitoring.settings.set", audit, StringComparison.Ordinal);
        Assert.Contains("wasserstein", audit, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"quality":"block"}""", "quality")]
    [InlineData("""{"qualty":"reject"}""", "qualty")]
    [InlineData("""{"window":{"seconds":60,"rows":5}}""", "exactly one of 'seconds'")]
    [InlineData("""{"window":{"rows":0}}""", "window.rows must be between 1")]
    [InlineData("""{"slo":{"target":1.5}}""", "slo.target must be a fraction")]
    [InlineData("""{"drift":{"numeric":{"method":"psi","threshold":-1}}}""", "drift.numeric")]
    [InlineData("""{"drift":{"categorical":{"method":"chiSquare","threshold":2}}}""", "significance level in (0, 1)")]
    [InlineData("""{"otlpEndpoint":"ftp://collector"}""", "otlpEndpoint must be an http(s) URL")]
    [InlineData("""{"baselineFromPredictions":3}""", "baselineFromPredictions must be between 10")]
    [InlineData("""{"rangeTolerance":-0.1,"slo":{"periodDays":0}}""", "rangeTolerance must be between 0 and 100")]
    [InlineData("""[1,2]""", "not valid")]
    public async Task Bad_settings_are_refused_naming_the_field_and_change_nothing(string body, string expected)
    {
        await using var world = await MonitoringWorld.StartAsync();
        var before = StateSnapshot.Take(world.Server.DataDirectory);
        var response = await world.Admin.PutAsync(Settings, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);
        await response.AssertProblemAsync(ProblemTypes.ValidationFailed, expected);
        Assert.Equal(before, StateSnapshot.Take(world.Server.DataDirectory));
    }

    [Fact]
    public async Task Monitoring_refers_to_the_gateways_endpoints_and_is_changed_only_by_their_departments()
    {
        await using var world = await MonitoringWorld.StartAsync();
        await world.Server.CreateDepartmentAsync("risk");
        await world.Server.CreateDepartmentAsync("hr");
        (await world.Admin.PostJsonAsync("api/v1/endpoints", new { name = "underwriting", department = "risk" })).EnsureSuccessStatusCode();
        var riskOperator = await world.CreateKeyAsync("olivia", Role.Operator, "risk");
        var hrOperator = await world.CreateKeyAsync("harry", Role.Operator, "hr");

        await (await world.Admin.PutJsonAsync("api/v1/endpoints/nowhere/monitoring", new { quality = "reject" }))
            .AssertProblemAsync(ProblemTypes.NotFound, "There is no endpoint 'nowhere'");
        await (await world.Admin.PostJsonAsync("api/v1/alerts/rules", new { endpoint = "nowhere", name = "x", metric = "error.rate", threshold = 0.1 }))
            .AssertProblemAsync(ProblemTypes.NotFound, "nowhere");
        await (await world.Server.Client(hrOperator).PutJsonAsync("api/v1/endpoints/underwriting/monitoring", new { quality = "reject" }))
            .AssertProblemAsync(ProblemTypes.DepartmentScope, "belongs to 'risk'");
        Assert.Equal(HttpStatusCode.OK, (await world.Server.Client(riskOperator).PutJsonAsync("api/v1/endpoints/underwriting/monitoring", new { quality = "reject" })).StatusCode);
    }

    [Fact]
    public async Task Settings_need_an_operator_and_a_valid_endpoint_name()
    {
        await using var world = await MonitoringWorld.StartAsync();
        var scientist = await world.CreateKeyAsync("sam", Role.Scientist);
        await (await world.Server.Client(scientist).PutJsonAsync(Settings, new { quality = "reject" })).AssertProblemAsync(ProblemTypes.InsufficientRole);
        await (await world.Admin.PutJsonAsync("api/v1/endpoints/bad..name/monitoring", new { quality = "reject" })).AssertProblemAsync(ProblemTypes.InvalidName);
    }

    [Fact]
    public async Task Alert_rules_are_added_listed_and_removed_with_audit()
    {
        await using var world = await MonitoringWorld.StartAsync();
        var added = await world.Admin.PostJsonAsync("api/v1/alerts/rules", new
        {
            endpoint = MonitoringWorld.Endpoint, name = "slow", metric = "latency.p99", comparison = ">", threshold = 250, severity = "critical",
            lookbackSeconds = 300, forSeconds = 60, resolveThreshold = 200, webhooks = new[] { "http://127.0.0.1:9/hook" },
        });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var rule = (await world.Admin.JsonAsync("api/v1/alerts/rules?endpoint=scoring"))!.Value[0];
        Assert.Equal("latency.p99", rule.GetProperty("metricName").GetString());
        Assert.Equal("critical", rule.GetProperty("severity").GetString());
        var id = rule.GetProperty("id").GetInt64();

        await (await world.Admin.PostJsonAsync("api/v1/alerts/rules", new { endpoint = MonitoringWorld.Endpoint, name = "slow", metric = "error.rate", threshold = 0.1 }))
            .AssertProblemAsync(ProblemTypes.AlreadyExists);
        Assert.Equal(HttpStatusCode.NoContent, (await world.Admin.DeleteAsync($"api/v1/alerts/rules/{id}", Ct)).StatusCode);
        await (await world.Admin.DeleteAsync($"api/v1/alerts/rules/{id}", Ct)).AssertProblemAsync(ProblemTypes.NotFound);
        var audit = await world.Admin.GetStringAsync("api/v1/audit?subject=endpoint/scoring/alerts", Ct);
        Assert.Contains("alert.rule.add", audit, StringComparison.Ordinal);
        Assert.Contains("alert.rule.remove", audit, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"endpoint":"scoring","name":"x","metric":"cpu","threshold":1}""", "Unknown metric 'cpu'")]
    [InlineData("""{"endpoint":"scoring","name":"x","metric":"drift.score","threshold":0.2}""", "drift.score needs 'feature'")]
    [InlineData("""{"endpoint":"scoring","name":"x","metric":"accuracy.drop","accuracyMetric":"kappa","threshold":0.05}""", "needs 'accuracyMetric'")]
    [InlineData("""{"endpoint":"scoring","name":"x","metric":"drift.share","threshold":0,"lookbackSeconds":60}""", "does not apply to drift.share")]
    [InlineData("""{"endpoint":"scoring","name":"x","metric":"error.rate","threshold":0.1,"resolveThreshold":0.2}""", "resolve threshold must be at or below")]
    [InlineData("""{"endpoint":"scoring","name":"x","metric":"error.rate","threshold":0.1,"webhooks":["file:///etc/passwd"]}""", "is not an http(s) URL")]
    [InlineData("""{"endpoint":"scoring","name":"x","metric":"error.rate","threshold":0.1,"severity":"page"}""", "Unknown severity 'page'")]
    [InlineData("""{"endpoint":"scoring","name":"","metric":"error.rate","threshold":0.1}""", "name must be 1-100 characters")]
    [InlineData("""{"endpoint":"scoring","name":"x","metric":"error.rate","threshold":0.1,"extra":true}""", "extra")]
    public async Task Bad_alert_rules_are_refused_naming_the_problem_and_change_nothing(string body, string expected)
    {
        await using var world = await MonitoringWorld.StartAsync();
        var before = StateSnapshot.Take(world.Server.DataDirectory);
        var response = await world.Admin.PostAsync("api/v1/alerts/rules", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);
        await response.AssertProblemAsync(ProblemTypes.ValidationFailed, expected);
        Assert.Equal(before, StateSnapshot.Take(world.Server.DataDirectory));
    }
}

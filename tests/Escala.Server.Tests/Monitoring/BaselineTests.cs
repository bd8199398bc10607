using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Server.Registry;
using Escala.Testing;

namespace Escala.Server.Tests.Monitoring;

/// <summary>Baselines from reference tables: with the registration or later, profiled with the model's own predictions; bad tables refused naming the line and column, with nothing stored.</summary>
public sealed class BaselineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Csv(string text)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return content;
    }

    [Fact]
    public async Task Registration_with_a_reference_table_stores_the_profile_with_the_models_predictions()
    {
        await using var world = await MonitoringWorld.StartAsync();
        var version = await world.RegisterAsync(MonitoringWorld.ReferenceCsv(1500));
        Assert.Equal(1500, version.Baseline!.Rows);

        var stored = (await world.Admin.JsonAsync("api/v1/models/scorer/versions/1/baseline"))!.Value;
        var profile = stored.GetProperty("profile");
        Assert.Equal(3, profile.GetProperty("features").GetArrayLength());
        var prediction = profile.GetProperty("prediction");
        Assert.Equal("p", prediction.GetProperty("name").GetString());
        Assert.Equal("numeric", prediction.GetProperty("kind").GetString());
        var numeric = prediction.GetProperty("numeric");
        Assert.InRange(numeric.GetProperty("min").GetDouble(), 0, 1);
        Assert.InRange(numeric.GetProperty("max").GetDouble(), 0, 1);

        var shown = await (await world.Admin.GetAsync("api/v1/models/scorer", Ct)).ReadAsync<ModelDetailResponse>();
        Assert.Equal("reference", shown.Versions[0].Baseline!.Source.ToString().ToLowerInvariant());
        var audit = await world.Admin.GetStringAsync("api/v1/audit?subject=model/scorer/versions/1", Ct);
        Assert.Contains("baseline.set", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("binMeans", audit, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,b,c\n0.1,5,0.2\n0.3,oops,0.1\n", "line 3, column 2 ('b'): 'oops' is not a number")]
    [InlineData("a,b,c\n0.1,5,0.2\n0.3,4\n", "line 3: 2 fields, but the header names 3 columns")]
    [InlineData("a,b\n0.1,5\n", "takes 3 values per row, in order; the table has 2 columns")]
    [InlineData("a,a,c\n1,2,3\n", "the column 'a' appears twice")]
    [InlineData("a,b,c\n0.1,\"5,0.2\n", "line 2: a quoted field is never closed")]
    [InlineData("a,b,c\n", "has a header but no rows")]
    [InlineData("", "is empty")]
    public async Task A_bad_reference_table_is_refused_naming_the_problem_and_nothing_is_registered(string csv, string expected)
    {
        await using var world = await MonitoringWorld.StartAsync();
        var before = StateSnapshot.Take(world.Server.DataDirectory);
        var form = Uploads.Form(world.Onnx);
        var part = Csv(csv);
        form.Add(part, "baseline", "bad.csv");

        var response = await world.Admin.PostAsync("api/v1/models/scorer/versions", form, Ct);

        await response.AssertProblemAsync(ProblemTypes.InvalidBaseline, expected);
        Assert.Equal(before, StateSnapshot.Take(world.Server.DataDirectory));
    }

    [Fact]
    public async Task A_baseline_can_be_attached_and_replaced_later_and_a_bad_one_changes_nothing()
    {
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync(csv: null);
        await (await world.Admin.GetAsync("api/v1/models/scorer/versions/1/baseline", Ct)).AssertProblemAsync(ProblemTypes.NoBaseline, "escala models baseline scorer 1");

        var first = await world.Admin.PutAsync("api/v1/models/scorer/versions/1/baseline", Csv(MonitoringWorld.ReferenceCsv(300)), Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var replaced = await world.Admin.PutAsync("api/v1/models/scorer/versions/latest/baseline?missing=NA,-", Csv("a,b,c\n1,2,-\n2,3,0.5\n"), Ct);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var profile = (await world.Admin.JsonAsync("api/v1/models/scorer/versions/1/baseline"))!.Value.GetProperty("profile");
        Assert.Equal(2, profile.GetProperty("rowCount").GetInt64());
        Assert.Equal(1, profile.GetProperty("features")[2].GetProperty("missing").GetInt64());

        var before = StateSnapshot.Take(world.Server.DataDirectory);
        await (await world.Admin.PutAsync("api/v1/models/scorer/versions/1/baseline", Csv("a,b,c\n1,2,x\n"), Ct))
            .AssertProblemAsync(ProblemTypes.InvalidBaseline, "line 2, column 3 ('c')");
        await (await world.Admin.PutAsync("api/v1/models/scorer/versions/1/baseline", new StringContent("a,b,c\n1,2,3\n", Encoding.UTF8, "application/json"), Ct))
            .AssertProblemAsync(ProblemTypes.UnsupportedMediaType);
        await (await world.Admin.PutAsync("api/v1/models/scorer/versions/9/baseline", Csv("a,b,c\n1,2,3\n"), Ct)).AssertProblemAsync(ProblemTypes.NotFound);
        Assert.Equal(before, StateSnapshot.Take(world.Server.DataDirectory));
    }

    [Fact]
    public async Task Only_a_scientist_scoped_to_the_models_department_may_set_its_baseline()
    {
        await using var world = await MonitoringWorld.StartAsync();
        await world.Server.CreateDepartmentAsync("risk");
        await world.Server.CreateDepartmentAsync("hr");
        var owner = await world.CreateKeyAsync("alice", Role.Scientist, "risk");
        var outsider = await world.CreateKeyAsync("mallory", Role.Scientist, "hr");
        await world.RegisterAsync(csv: null, key: owner);

        await (await world.Server.Client(outsider).PutAsync("api/v1/models/scorer/versions/1/baseline", Csv(MonitoringWorld.ReferenceCsv(50)), Ct))
            .AssertProblemAsync(ProblemTypes.DepartmentScope);
        Assert.Equal(HttpStatusCode.OK, (await world.Server.Client(owner).PutAsync("api/v1/models/scorer/versions/1/baseline", Csv(MonitoringWorld.ReferenceCsv(50)), Ct)).StatusCode);
    }

    [Fact]
    public async Task Baselines_settings_and_rules_survive_a_restart()
    {
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync();
        await world.SetSettingsAsync(new { quality = "reject", window = new { seconds = 600 }, slo = new { target = 0.99 } });
        await world.Admin.PostJsonAsync("api/v1/alerts/rules", new { endpoint = MonitoringWorld.Endpoint, name = "errors", metric = "error.rate", threshold = 0.05 });

        await world.RestartAsync();

        Assert.Equal(2000, (await world.Admin.JsonAsync("api/v1/models/scorer/versions/1/baseline"))!.Value.GetProperty("summary").GetProperty("rows").GetInt64());
        var settings = (await world.Admin.JsonAsync($"api/v1/endpoints/{MonitoringWorld.Endpoint}/monitoring"))!.Value;
        Assert.False(settings.GetProperty("isDefault").GetBoolean());
        Assert.Equal("reject", settings.GetProperty("settings").GetProperty("quality").GetString());
        Assert.Equal(0.99, settings.GetProperty("settings").GetProperty("slo").GetProperty("target").GetDouble());
        Assert.Equal("errors", (await world.Admin.JsonAsync("api/v1/alerts/rules"))!.Value[0].GetProperty("name").GetString());
        var monitor = await world.MonitorAsync();
        Assert.Null(monitor.Unmonitored);
        Assert.Equal(TimeSpan.FromMinutes(10), monitor.Window!.Spec.Length);
    }
}

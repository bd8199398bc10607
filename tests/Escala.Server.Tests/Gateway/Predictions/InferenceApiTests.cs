using System.Net;
using System.Text;
using static Escala.Server.Tests.Gateway.Predictions.RecordsApiTests;

namespace Escala.Server.Tests.Gateway.Predictions;

public sealed class InferenceApiTests
{
    private static readonly float[] W = [0.5f, -0.25f, 1.5f];
    private const float B = -0.1f;

    private const string Request = """{"id":"r-1","inputs":[{"name":"features","shape":[2,3],"datatype":"FP32","data":[1,2,3,-1,0,0.5]}]}""";

    [Fact]
    public async Task A_v2_request_is_answered_with_the_version_and_fallback_flag_in_body_and_headers()
    {
        await using var host = await GatewayHost.StartAsync();
        await Deployed(host);

        using var response = await host.Admin.PostAsync("v2/models/credit/infer", Json(Request), TestContext.Current.CancellationToken);
        var body = await GatewayHost.Ensure(response);

        Assert.Equal("credit", body.GetProperty("model_name").GetString());
        Assert.Equal("credit:1", body.GetProperty("model_version").GetString());
        Assert.Equal("r-1", body.GetProperty("id").GetString());
        var parameters = body.GetProperty("parameters");
        Assert.False(parameters.GetProperty("escala_fallback").GetBoolean());
        Assert.Equal(response.Headers.GetValues("X-Escala-Request-Id").Single(), parameters.GetProperty("escala_request_id").GetString());
        Assert.Equal("credit:1", response.Headers.GetValues("X-Escala-Version").Single());
        var score = body.GetProperty("outputs")[0];
        Assert.Equal("score", score.GetProperty("name").GetString());
        Assert.Equal("FP32", score.GetProperty("datatype").GetString());
        Assert.Equal([2, 1], score.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal(TestModels.LogisticScore([-1, 0, 0.5f], W, B), score.GetProperty("data")[1].GetSingle(), 5);
    }

    [Fact]
    public async Task A_pinned_version_answers_even_when_the_router_would_not_pick_it()
    {
        await using var host = await GatewayHost.StartAsync();
        await Deployed(host);
        await host.RegisterAsync("credit", TestModels.Logistic([1, 1, 1], 0));
        await host.DeployAsync("credit", new { version = "credit:2", strategy = "blue-green" });

        using var byKey = await host.Admin.PostAsync("v2/models/credit/versions/credit:2/infer", Json(Request), TestContext.Current.CancellationToken);
        using var byNumber = await host.Admin.PostAsync("v2/models/credit/versions/2/infer", Json(Request), TestContext.Current.CancellationToken);
        using var routed = await host.Admin.PostAsync("v2/models/credit/infer", Json(Request), TestContext.Current.CancellationToken);
        using var unknown = await host.Admin.PostAsync("v2/models/credit/versions/7/infer", Json(Request), TestContext.Current.CancellationToken);

        Assert.Equal("credit:2", (await GatewayHost.Ensure(byKey)).GetProperty("model_version").GetString());
        Assert.Equal("credit:2", (await GatewayHost.Ensure(byNumber)).GetProperty("model_version").GetString());
        Assert.Equal("credit:1", (await GatewayHost.Ensure(routed)).GetProperty("model_version").GetString());
        await Problem(unknown, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Metadata_and_readiness_describe_the_endpoint()
    {
        await using var host = await GatewayHost.StartAsync();
        await Deployed(host);
        using var anonymous = host.Client(null);

        var metadata = await host.GetAsync("v2/models/credit");
        var ready = await host.GetAsync("v2/models/credit/ready");
        using var live = await anonymous.GetAsync("v2/health/live", TestContext.Current.CancellationToken);
        using var serverReady = await anonymous.GetAsync("v2/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal("features", metadata.GetProperty("inputs")[0].GetProperty("name").GetString());
        Assert.Equal("FP32", metadata.GetProperty("inputs")[0].GetProperty("datatype").GetString());
        Assert.Equal([-1, 3], metadata.GetProperty("inputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal(["credit:1"], metadata.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.True(ready.GetProperty("ready").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, serverReady.StatusCode);
    }

    [Theory]
    [InlineData("""{"inputs":[{"name":"features","shape":[1,2],"datatype":"FP32","data":[1,2]}]}""", "features")]
    [InlineData("""{"inputs":[{"name":"features","shape":[1,3],"datatype":"INT64","data":[1,2,3]}]}""", "FP32")]
    [InlineData("""{"inputs":[{"name":"features","shape":[1,3],"datatype":"FP32","data":[1,"x",3]}]}""", "features")]
    [InlineData("""{"inputs":[{"name":"age","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}""", "age")]
    [InlineData("""{"inputs":[]}""", "features")]
    [InlineData("""{"nothing":1}""", "inputs")]
    [InlineData("""{"inputs":[{"name":"features","shape":[1,3],"datatype":"FP32","data":[1,2,3]}],"outputs":[{"name":"label"}]}""", "label")]
    public async Task Requests_with_the_wrong_shape_type_or_inputs_get_400_naming_what_is_wrong(string json, string named)
    {
        await using var host = await GatewayHost.StartAsync();
        await Deployed(host);

        using var response = await host.Admin.PostAsync("v2/models/credit/infer", Json(json), TestContext.Current.CancellationToken);

        var problem = await Problem(response, HttpStatusCode.BadRequest, "invalid-input");
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_an_unknown_endpoint_and_a_10_MB_body_get_4xx_problems()
    {
        await using var host = await GatewayHost.StartAsync();
        await Deployed(host);

        using var broken = await host.Admin.PostAsync("v2/models/credit/infer", Json("{\"inputs\":[{"), TestContext.Current.CancellationToken);
        using var unknown = await host.Admin.PostAsync("v2/models/nope/infer", Json(Request), TestContext.Current.CancellationToken);
        using var metadata = await host.Admin.GetAsync("v2/models/nope", TestContext.Current.CancellationToken);
        var big = new StringBuilder("""{"inputs":[{"name":"features","shape":[1,3],"datatype":"FP32","data":[""");
        while (big.Length < 10 * 1024 * 1024)
        {
            big.Append("1.0,");
        }

        big.Append("1]}]}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v2/models/credit/infer") { Content = Json(big.ToString()) };
        request.Headers.ExpectContinue = true;
        using var tooBig = await host.Admin.SendAsync(request, TestContext.Current.CancellationToken);

        await Problem(broken, HttpStatusCode.BadRequest, "validation-failed");
        await Problem(unknown, HttpStatusCode.NotFound, "not-found");
        await Problem(metadata, HttpStatusCode.NotFound, "not-found");
        await Problem(tooBig, HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }
}

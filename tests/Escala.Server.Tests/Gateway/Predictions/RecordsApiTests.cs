using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Escala.Server.Tests.Gateway.Predictions;

public sealed class RecordsApiTests
{
    private static readonly float[] W = [0.5f, -0.25f, 1.5f];
    private const float B = -0.1f;

    [Fact]
    public async Task Records_are_mapped_to_the_model_input_and_the_answer_names_the_version()
    {
        await using var host = await GatewayHost.StartAsync();
        await Deployed(host);

        using var response = await host.Admin.PostAsJsonAsync("v1/endpoints/credit/predict",
            new { records = new object[] { new { features = new[] { 1f, 2f, 3f } }, new { features = new[] { -1f, 0f, 0.5f } } } },
            TestContext.Current.CancellationToken);
        var body = await GatewayHost.Ensure(response);

        Assert.Equal("credit:1", body.GetProperty("version").GetString());
        Assert.False(body.GetProperty("fallback").GetBoolean());
        Assert.Equal("routed", body.GetProperty("source").GetString());
        Assert.Equal("credit:1", response.Headers.GetValues("X-Escala-Version").Single());
        Assert.Equal("false", response.Headers.GetValues("X-Escala-Fallback").Single());
        Assert.Equal(body.GetProperty("requestId").GetString(), response.Headers.GetValues("X-Escala-Request-Id").Single());
        var predictions = body.GetProperty("predictions");
        Assert.Equal(2, predictions.GetArrayLength());
        Assert.Equal(TestModels.LogisticScore([1, 2, 3], W, B), predictions[0].GetProperty("score")[0].GetSingle(), 5);
        Assert.Equal(TestModels.LogisticScore([-1, 0, 0.5f], W, B), predictions[1].GetProperty("score")[0].GetSingle(), 5);
    }

    [Fact]
    public async Task A_record_of_plain_features_feeds_a_single_vector_input_in_order()
    {
        await using var host = await GatewayHost.StartAsync();
        await Deployed(host);

        var body = await Predict(host, """{"records":[{"age":1,"debt":2,"years":3}]}""");

        Assert.Equal(TestModels.LogisticScore([1, 2, 3], W, B), body.GetProperty("predictions")[0].GetProperty("score")[0].GetSingle(), 5);
    }

    [Theory]
    [InlineData("""{"records":[{"features":[1,2]}]}""", "takes 3 per row")]
    [InlineData("""{"records":[{"features":[1,"two",3]}]}""", "expected a number")]
    [InlineData("""{"records":[{"a":1}]}""", "takes 3 per row")]
    [InlineData("""{"records":[]}""", "non-empty array")]
    [InlineData("""{"rows":[{"features":[1,2,3]}]}""", "\"records\" array")]
    [InlineData("""{"records":[42]}""", "not an object")]
    public async Task Inputs_that_do_not_fit_the_model_get_400_invalid_input_saying_what_is_wrong(string json, string expected)
    {
        await using var host = await GatewayHost.StartAsync();
        await Deployed(host);

        using var response = await Send(host, json);

        var problem = await Problem(response, HttpStatusCode.BadRequest, "invalid-input");
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("X-Escala-Request-Id"));
    }

    [Fact]
    public async Task A_missing_input_is_named_in_the_problem()
    {
        await using var host = await GatewayHost.StartAsync();
        await host.CreateEndpointAsync("pricing");
        await host.RegisterAsync("pricing", TwoInputs());
        await host.DeployAsync("pricing", new { version = "pricing:1" });

        using var response = await host.Admin.PostAsync("v1/endpoints/pricing/predict",
            Json("""{"records":[{"age":[41]}]}"""), TestContext.Current.CancellationToken);

        var problem = await Problem(response, HttpStatusCode.BadRequest, "invalid-input");
        Assert.Contains("no field 'income'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_gets_400_and_a_non_json_body_gets_415()
    {
        await using var host = await GatewayHost.StartAsync();
        await Deployed(host);

        using var broken = await Send(host, """{"records":[{"features":[1,2,3]}""");
        await Problem(broken, HttpStatusCode.BadRequest, "validation-failed");

        using var text = await host.Admin.PostAsync("v1/endpoints/credit/predict",
            new StringContent("features=1,2,3", Encoding.UTF8, "text/plain"), TestContext.Current.CancellationToken);
        await Problem(text, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task An_unknown_endpoint_gets_404_not_found()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await Send(host, """{"records":[{"features":[1,2,3]}]}""", endpoint: "nope");

        await Problem(response, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task An_endpoint_with_nothing_deployed_gets_404_not_deployed()
    {
        await using var host = await GatewayHost.StartAsync();
        await host.CreateEndpointAsync("credit");

        using var response = await Send(host, """{"records":[{"features":[1,2,3]}]}""");

        var problem = await Problem(response, HttpStatusCode.NotFound, "not-deployed");
        Assert.Contains("escala deploy credit", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_10_MB_body_gets_413_payload_too_large()
    {
        await using var host = await GatewayHost.StartAsync();
        await Deployed(host);
        var big = new StringBuilder("""{"records":[""");
        var row = """{"features":[1.0,2.0,3.0]},""";
        while (big.Length < 10 * 1024 * 1024)
        {
            big.Append(row);
        }

        big.Append("""{"features":[1,2,3]}]}""");

        // Expect: 100-continue, as curl sends for large bodies: the server refuses before the body is sent.
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/endpoints/credit/predict") { Content = Json(big.ToString()) };
        request.Headers.ExpectContinue = true;
        using var response = await host.Admin.SendAsync(request, TestContext.Current.CancellationToken);

        var problem = await Problem(response, HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        Assert.Contains("Split the rows", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_without_a_key_gets_401()
    {
        await using var host = await GatewayHost.StartAsync();
        await Deployed(host);
        using var anonymous = host.Client(null);

        using var response = await anonymous.PostAsync("v1/endpoints/credit/predict", Json("""{"records":[{"features":[1,2,3]}]}"""), TestContext.Current.CancellationToken);

        await Problem(response, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    internal static async Task Deployed(GatewayHost host)
    {
        await host.CreateEndpointAsync("credit");
        await host.RegisterAsync("credit", TestModels.Logistic(W, B));
        await host.DeployAsync("credit", new { version = "credit:1" });
    }

    internal static async Task<JsonElement> Predict(GatewayHost host, string json, string endpoint = "credit")
    {
        using var response = await Send(host, json, endpoint);
        return await GatewayHost.Ensure(response);
    }

    internal static Task<HttpResponseMessage> Send(GatewayHost host, string json, string endpoint = "credit") =>
        host.Admin.PostAsync($"v1/endpoints/{endpoint}/predict", Json(json), TestContext.Current.CancellationToken);

    internal static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    internal static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal($"https://escala.dev/problems/{type}", problem.GetProperty("type").GetString());
        return problem.Clone();
    }

    private static byte[] TwoInputs() => new Escala.Onnx.Building.OnnxModelBuilder()
        .Input("age", Escala.Onnx.Tensors.ElementType.Float, "N", 1)
        .Input("income", Escala.Onnx.Tensors.ElementType.Float, "N", 1)
        .Output("total", Escala.Onnx.Tensors.ElementType.Float, "N", 1)
        .Node("Add", ["age", "income"], ["total"])
        .ToBytes();
}

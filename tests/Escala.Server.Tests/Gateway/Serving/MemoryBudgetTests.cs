using System.Net;
using System.Net.Http.Json;
using System.Text;
using Escala.Core.Problems;
using Escala.Core.Routing;
using Escala.Onnx.Tensors;
using Escala.Onnx.Tests.Session;
using Escala.Server.Serving;
using Escala.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Tests.Gateway.Serving;

/// <summary>
/// Issue 8 item 1 through the real gateway: memory bombs are refused at registration naming the node, requests
/// that would need more than the endpoint's memory budget are refused before the engine allocates, the budget is
/// a validated per-endpoint setting, a run abandoned at its deadline is stopped, and a version no longer deployed
/// is released.
/// </summary>
public sealed class MemoryBudgetTests
{
    [Fact]
    public async Task Every_model_whose_attributes_or_constants_need_too_much_memory_is_refused_at_registration_naming_the_node()
    {
        await using var host = await GatewayHost.StartAsync();
        foreach (var bomb in MemoryBombs.RefusedAtLoad)
        {
            using var response = await host.Admin.RegisterAsync("bomb", bomb.Bytes);
            var detail = await response.AssertProblemAsync(ProblemTypes.UnsupportedModel, $"'{bomb.Node}'");
            Assert.Contains("memory budget of 256 MiB", detail, StringComparison.Ordinal);
        }

        using var list = await host.Admin.GetAsync("api/v1/models", TestContext.Current.CancellationToken);
        Assert.DoesNotContain("bomb", await list.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_needing_more_than_the_endpoint_budget_is_refused_as_invalid_input_naming_the_node()
    {
        await using var host = await GatewayHost.StartAsync();
        var i = 0;
        foreach (var bomb in MemoryBombs.RefusedAtRun)
        {
            var name = $"bomb{i++}";
            await host.CreateEndpointAsync(name);
            var version = await host.RegisterAsync(name, bomb.Bytes);
            await host.DeployAsync(name, new { version = $"{name}:{version}" });

            using var response = await Infer(host, name, bomb.Inputs);
            var detail = await response.AssertProblemAsync(ProblemTypes.InvalidInput, $"'{bomb.Node}'");
            Assert.Contains("memory budget of 256 MiB", detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Each_endpoint_runs_the_same_version_within_its_own_budget()
    {
        await using var host = await GatewayHost.StartAsync();
        var outer = MemoryBombs.RefusedAtRun.Single(b => b.Node == "outer").Bytes;
        await host.RegisterAsync("outer", outer);
        await host.CreateEndpointAsync("roomy");
        await host.CreateEndpointAsync("tight", new { memoryBudgetBytes = 1L << 20 });
        await host.DeployAsync("roomy", new { version = "outer:1" });
        await host.DeployAsync("tight", new { version = "outer:1" });

        // 512 x 1024 floats: a 2 MiB answer.
        var inputs = new Dictionary<string, OnnxTensor> { ["A"] = MemoryBombs.Ones(512, 1), ["B"] = MemoryBombs.Ones(1, 1024) };
        using var roomy = await Infer(host, "roomy", inputs);
        using var tight = await Infer(host, "tight", inputs);

        Assert.Equal(HttpStatusCode.OK, roomy.StatusCode);
        var detail = await tight.AssertProblemAsync(ProblemTypes.InvalidInput, "'outer'");
        Assert.Contains("memory budget of 1 MiB", detail, StringComparison.Ordinal);
        var settings = (await host.GetAsync("api/v1/endpoints/tight")).GetProperty("settings");
        Assert.Equal(1L << 20, settings.GetProperty("memoryBudgetBytes").GetInt64());
    }

    [Theory]
    [InlineData(1000L)]
    [InlineData(1L << 40)]
    public async Task A_memory_budget_outside_1_MiB_to_16_GiB_is_refused(long bytes)
    {
        await using var host = await GatewayHost.StartAsync();
        await host.CreateEndpointAsync("credit");

        using var response = await host.Admin.PatchAsJsonAsync("api/v1/endpoints/credit/settings", new { memoryBudgetBytes = bytes }, TestContext.Current.CancellationToken);
        await response.AssertProblemAsync(ProblemTypes.ValidationFailed, "memory budget");
        using var create = await host.Admin.PostAsJsonAsync("api/v1/endpoints", new { name = "other", settings = new { memoryBudgetBytes = bytes } }, TestContext.Current.CancellationToken);
        await create.AssertProblemAsync(ProblemTypes.ValidationFailed, "memory budget");
    }

    [Fact]
    public async Task A_run_abandoned_at_the_deadline_is_stopped_not_left_running()
    {
        var tag = Guid.NewGuid().ToString("N");
        await using var host = await GatewayHost.StartAsync(testKernels: true);
        await host.CreateEndpointAsync("spin", new { deadlineMs = 100, defaultAnswer = new { y = new[] { 0, 0 } } });
        await host.RegisterAsync("spin", TestModels.Spin(maxMs: 20_000, tag));
        await host.DeployAsync("spin", new { version = "spin:1" });
        TestKernels.Spins.TryRemove(tag, out _); // the warm-up ran (and finished or stopped) already

        using var response = await host.Admin.PostAsync("v2/models/spin/infer",
            Json("""{"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[1,2]}]}"""), TestContext.Current.CancellationToken);
        var body = await GatewayHost.Ensure(response);
        Assert.True(body.GetProperty("parameters").GetProperty("escala_fallback").GetBoolean());

        // The kernel works for 20 s unless its run is cancelled; the deadline's token must reach it.
        await Poll.UntilAsync(() => TestKernels.Spins.ContainsKey(tag), TimeSpan.FromSeconds(15));
        Assert.Equal("stopped", TestKernels.Spins[tag]);
    }

    [Fact]
    public async Task A_version_replaced_on_its_only_endpoint_is_released_from_memory()
    {
        await using var host = await GatewayHost.StartAsync();
        await host.CreateEndpointAsync("credit");
        await host.RegisterAsync("credit", TestModels.Logistic([1f, 2f], 0.5f));
        await host.RegisterAsync("credit", TestModels.Logistic([3f, 4f], 0.5f));
        await host.DeployAsync("credit", new { version = "credit:1" });
        var first = FirstSession(host);

        await host.DeployAsync("credit", new { version = "credit:2" });

        await Poll.UntilAsync(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            return !first.IsAlive;
        }, TimeSpan.FromSeconds(15));
        Assert.Equal(1, host.Services.GetRequiredService<ServingBackends>().Count);
    }

    [Fact]
    public async Task A_deploy_that_fails_after_loading_its_version_does_not_keep_it_loaded()
    {
        await using var host = await GatewayHost.StartAsync(services: s => s.AddSingleton<IPredictionObserver, RefusesVersionTwo>());
        await host.CreateEndpointAsync("credit");
        await host.RegisterAsync("credit", TestModels.Logistic([1f, 2f], 0.5f));
        await host.RegisterAsync("credit", TestModels.Logistic([3f, 4f], 0.5f));
        await host.DeployAsync("credit", new { version = "credit:1" });

        // Version 2 is loaded and warmed, then the change fails before it is committed.
        using var refused = await host.Admin.PostAsJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:2" }, TestContext.Current.CancellationToken);
        Assert.False(refused.IsSuccessStatusCode);

        Assert.Equal(1, host.Services.GetRequiredService<ServingBackends>().Count);
    }

    private sealed class RefusesVersionTwo : IPredictionObserver
    {
        public ValueTask PrepareAsync(ServingSnapshot snapshot, CancellationToken cancellationToken) =>
            snapshot.Targets.Any(t => t.Key == "credit:2") ? throw ProblemTypes.Conflict.With("refused by the test") : ValueTask.CompletedTask;
    }

    // Kept out of the async method so no local of the test keeps the session alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference FirstSession(GatewayHost host)
    {
        Assert.True(host.Services.GetRequiredService<LiveEndpoints>().TryGet("credit", out var snapshot));
        return new WeakReference(((LocalModelBackend)snapshot.Targets.Single(t => t.Spec is LocalModelTarget).Backend).Session);
    }

    private static Task<HttpResponseMessage> Infer(GatewayHost host, string endpoint, IReadOnlyDictionary<string, OnnxTensor> inputs)
    {
        var body = new StringBuilder("""{"inputs":[""");
        var first = true;
        foreach (var (name, tensor) in inputs)
        {
            body.Append(first ? "" : ",");
            first = false;
            var (datatype, data) = tensor switch
            {
                OnnxTensor<float> f => ("FP32", string.Join(",", f.Span.ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))),
                OnnxTensor<long> l => ("INT64", string.Join(",", l.Span.ToArray())),
                _ => throw new ArgumentOutOfRangeException(nameof(inputs)),
            };
            body.Append($$"""{"name":"{{name}}","shape":[{{string.Join(",", tensor.Shape.ToArray())}}],"datatype":"{{datatype}}","data":[{{data}}]}""");
        }

        body.Append("]}");
        return host.Admin.PostAsync($"v2/models/{endpoint}/infer", Json(body.ToString()), TestContext.Current.CancellationToken);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

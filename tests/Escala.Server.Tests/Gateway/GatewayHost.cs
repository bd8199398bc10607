using System.Net.Http.Json;
using System.Text.Json;
using Escala.Core.Registry;
using Escala.Onnx;
using Escala.Onnx.Tensors;
using Escala.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Tests.Gateway;

/// <summary>
/// The foundation's <see cref="EscalaTestServer"/> (a real server on 127.0.0.1 over a fresh data folder)
/// with the gateway helpers the tests share: register a model, create an endpoint, deploy, post JSON.
/// With <c>testKernels</c> the engine (and registration) run the test operators of <see cref="TestKernels"/>.
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private GatewayHost(EscalaTestServer server)
    {
        Server = server;
        Admin = server.Admin();
    }

    public EscalaTestServer Server { get; }

    public HttpClient Admin { get; }

    public IServiceProvider Services => Server.App.Services;

    public string AdminKey => Server.AdminKey;

    public static async Task<GatewayHost> StartAsync(
        bool testKernels = false,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        string? folder = null)
    {
        var server = await EscalaTestServer.StartAsync(folder, configure: builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["PredictionLog:Linger"] = "00:00:00.020" });
            EscalaTestServer.UseRoutingOnlyStageRules(builder);
            EscalaTestServer.AllowLoopbackOutbound(builder);
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            if (testKernels)
            {
                builder.Services.AddSingleton(TestKernels.Options);
                builder.Services.AddSingleton<IModelInspector, TestKernelInspector>();
            }

            services?.Invoke(builder.Services);
        });
        return new GatewayHost(server);
    }

    public HttpClient Client(string? key) => Server.Client(key);

    /// <summary>Registers the next version of <paramref name="model"/>; returns its number.</summary>
    public async Task<int> RegisterAsync(string model, byte[] onnx) => (await Admin.RegisterOkAsync(model, onnx)).Version;

    public Task CreateDepartmentAsync(string name) => Server.CreateDepartmentAsync(name);

    public async Task<JsonElement> CreateEndpointAsync(string name, object? settings = null, string? department = null)
    {
        using var response = await Admin.PostAsJsonAsync("api/v1/endpoints", new { name, department, settings }, TestContext.Current.CancellationToken);
        return await Ensure(response);
    }

    public Task<JsonElement> DeployAsync(string endpoint, object body) => PostAsync($"api/v1/endpoints/{endpoint}/deploy", body);

    public async Task<JsonElement> PostAsync(string path, object? body = null)
    {
        using var response = await Admin.PostAsJsonAsync(path, body ?? new { }, TestContext.Current.CancellationToken);
        return await Ensure(response);
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Admin.GetAsync(path, TestContext.Current.CancellationToken);
        return await Ensure(response);
    }

    public static async Task<JsonElement> Ensure(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    /// <summary>Registration that accepts models of the test operators (the built-in inspector would refuse them).</summary>
    private sealed class TestKernelInspector : IModelInspector
    {
        public ModelInspection Inspect(ReadOnlyMemory<byte> model)
        {
            var session = InferenceSession.Load(model.Span, TestKernels.Options);
            return new ModelInspection(
                new ModelSignature([.. session.Inputs.Select(Spec)], [.. session.Outputs.Select(Spec)], session.Opsets, null),
                Runnable: true);
        }

        private static TensorSpec Spec(OnnxValueInfo v) =>
            new(v.Name, ElementTypes.Name(v.Type.ElementType), v.Type.Shape?.Select(d => d.ToString()).ToArray());
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Escala.Server.Tests.Gateway;

namespace Escala.Server.Tests.Organisation;

/// <summary>
/// A real gateway with three departments (risk: 4 people, retail-banking and operations: 10 each, treasury: 5), a
/// production version credit:1 behind the endpoint "credit", and the use case "credit-decisioning" it serves.
/// </summary>
internal sealed class OrganisationWorld : IAsyncDisposable
{
    private OrganisationWorld(GatewayHost host) => Host = host;

    public GatewayHost Host { get; }

    public HttpClient Admin => Host.Admin;

    public static async Task<OrganisationWorld> StartAsync()
    {
        var host = await GatewayHost.StartAsync();
        await host.Server.CreateDepartmentAsync("risk", 4);
        await host.Server.CreateDepartmentAsync("retail-banking", 10);
        await host.Server.CreateDepartmentAsync("operations", 10);
        await host.Server.CreateDepartmentAsync("treasury", 5);
        await host.CreateEndpointAsync("credit");
        await host.RegisterAsync("credit", TestModels.Logistic(Traffic.W1, 0));
        using (var patch = await host.Admin.PatchAsJsonAsync("api/v1/models/credit", new { requireApproval = false }, TestContext.Current.CancellationToken))
        {
            await GatewayHost.Ensure(patch);
        }

        await host.PostAsync("api/v1/models/credit/versions/1/stage", new { stage = "staging" });
        await host.PostAsync("api/v1/models/credit/versions/1/stage", new { stage = "production" });
        await host.PostAsync("api/v1/usecases", new
        {
            name = "credit-decisioning", endpoints = new[] { "credit" }, valuePerPrediction = 0.30m, valueUnit = "EUR",
        });
        return new OrganisationWorld(host);
    }

    /// <summary>A plan over risk | retail-banking,operations | * with no soak and the given gates.</summary>
    public Task<JsonElement> CreatePlanAsync(params string[] gates) => Host.PostAsync("api/v1/rollouts", new
    {
        name = "credit-plan", useCase = "credit-decisioning", endpoint = "credit", version = "credit:1",
        waves = new[] { "risk", "retail-banking,operations", "*" }, soak = "0s", gates,
    });

    public async Task ReadyAsync(params string[] departments)
    {
        foreach (var department in departments)
        {
            foreach (var item in new[] { "budget", "champions", "use-cases", "training", "support", "sponsorship", "success-metrics" })
            {
                await Host.PostAsync("api/v1/rollouts/credit-plan/checklist", new { department, item, note = $"evidence for {item}" });
            }
        }
    }

    /// <summary>Posts one prediction for <paramref name="user"/> in <paramref name="department"/>; returns the response.</summary>
    public async Task<HttpResponseMessage> PredictAsync(string department, string? user, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/endpoints/credit/predict")
        {
            Content = JsonContent.Create(new { records = new[] { new { features = new[] { 1f, 2f, 3f } } } }),
        };
        request.Headers.Add("X-Escala-Department", department);
        if (user is not null)
        {
            request.Headers.Add("X-Escala-User", user);
        }

        return await (client ?? Admin).SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> PostAsync(string path, object body) => Admin.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

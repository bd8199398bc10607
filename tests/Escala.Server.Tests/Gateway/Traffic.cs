using System.Net.Http.Json;
using System.Text.Json;

namespace Escala.Server.Tests.Gateway;

/// <summary>Sends predictions and tallies which version answered.</summary>
internal static class Traffic
{
    public static readonly float[] W1 = [0.5f, -0.25f, 1.5f];
    public static readonly float[] W2 = [1f, 1f, 1f];

    /// <summary>An endpoint "credit" with credit:1 (W1) serving and credit:2 (W2) registered.</summary>
    public static async Task TwoVersionsAsync(GatewayHost host, object? settings = null)
    {
        await host.CreateEndpointAsync("credit", settings);
        await host.RegisterAsync("credit", TestModels.Logistic(W1, 0));
        await host.RegisterAsync("credit", TestModels.Logistic(W2, 0));
        await host.DeployAsync("credit", new { version = "credit:1" });
    }

    /// <summary>Posts one record; returns the body.</summary>
    public static async Task<JsonElement> PredictAsync(HttpClient client, string endpoint = "credit", string? department = null, string? subject = null, float[]? features = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/endpoints/{endpoint}/predict")
        {
            Content = JsonContent.Create(new { records = new[] { new { features = features ?? [1f, 2f, 3f] } } }),
        };
        if (department is not null)
        {
            request.Headers.Add("X-Escala-Department", department);
        }

        if (subject is not null)
        {
            request.Headers.Add("X-Escala-Subject", subject);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return await GatewayHost.Ensure(response);
    }

    /// <summary>How many of <paramref name="n"/> requests each version answered.</summary>
    public static async Task<Dictionary<string, int>> TallyAsync(HttpClient client, int n, string? department = null)
    {
        var tally = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var version = (await PredictAsync(client, department: department)).GetProperty("version").GetString()!;
            tally[version] = tally.GetValueOrDefault(version) + 1;
        }

        return tally;
    }
}

using System.Text.Json;
using Escala.Server.Monitoring;

namespace Escala.Server.Tests.Monitoring;

/// <summary>Waiting for background work (windows close on the worker's tick) without sleeping a fixed time.</summary>
internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds, failing after <paramref name="timeout"/> (default 20 s).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"Timed out waiting for {what}.");
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>GETs <paramref name="path"/> as JSON (monitoring's settings: NaN allowed); null for a non-2xx answer.</summary>
    public static async Task<JsonElement?> JsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>GETs and deserialises <paramref name="path"/> with monitoring's JSON settings, failing on a non-2xx answer.</summary>
    public static async Task<T> GetAsync<T>(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<T>(body, MonitoringJson.Options)!;
    }
}

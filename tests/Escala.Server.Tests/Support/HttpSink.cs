using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Escala.Testing;

/// <summary>
/// A real HTTP listener on 127.0.0.1 for tests that need a receiver (webhooks, an OTLP collector): it records every
/// request by path and answers each path with the status (and body) it was told to (200 unless set), optionally after a
/// delay. Given bodies it also stands in for an external Open Inference Protocol backend (metadata, ready, infer).
/// </summary>
public sealed class HttpSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _bodies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> _delays = new(StringComparer.Ordinal);

    private HttpSink(WebApplication app) => _app = app;

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The base URL, e.g. http://127.0.0.1:40123.</summary>
    public string Url => _app.Urls.First();

    /// <summary>Starts a sink on a free port.</summary>
    public static async Task<HttpSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        HttpSink? sink = null;
        app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var path = context.Request.Path.Value ?? "/";
            sink!.Requests.Enqueue(new Received(path, context.Request.ContentType, buffer.ToArray(),
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), DateTimeOffset.UtcNow));
            if (sink._delays.TryGetValue(path, out var delay))
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            context.Response.StatusCode = sink._statuses.GetValueOrDefault(path, StatusCodes.Status200OK);
            if (sink._bodies.TryGetValue(path, out var body))
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(body, context.RequestAborted);
            }
        });
        sink = new HttpSink(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return sink;
    }

    /// <summary>Answers <paramref name="path"/> with <paramref name="status"/> from now on.</summary>
    public void Answer(string path, int status) => _statuses[path] = status;

    /// <summary>Answers <paramref name="path"/> with <paramref name="status"/> and the JSON <paramref name="json"/> from now on.</summary>
    public void Answer(string path, int status, string json)
    {
        _bodies[path] = json;
        _statuses[path] = status;
    }

    /// <summary>Waits <paramref name="delay"/> before answering <paramref name="path"/>.</summary>
    public void Delay(string path, TimeSpan delay) => _delays[path] = delay;

    /// <summary>The requests received on <paramref name="path"/>.</summary>
    public IReadOnlyList<Received> On(string path) => [.. Requests.Where(r => r.Path == path)];

    /// <summary>Waits until <paramref name="condition"/> holds (polling), failing the test after <paramref name="timeout"/>.</summary>
    public static async Task WaitForAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"Timed out waiting for {what}.");
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    /// <summary>One request.</summary>
    public sealed record Received(string Path, string? ContentType, byte[] Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At)
    {
        /// <summary>The body as JSON.</summary>
        public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
    }
}

using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Escala.Cli.Demo;

/// <summary>
/// The demo's stand-in for an on-call tool: a webhook receiver on 127.0.0.1 (a free port) that takes the alert events
/// Escala posts and hands them to the demo, which waits for the first one and prints it.
/// </summary>
public sealed class AlertReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();

    private AlertReceiver(WebApplication app) => _app = app;

    /// <summary>The URL to give an alert rule as its webhook.</summary>
    public string Url => _app.Urls.First() + "/alerts";

    /// <summary>Starts a receiver on 127.0.0.1.</summary>
    public static async Task<AlertReceiver> StartAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new AlertReceiver(app);
        app.MapPost("/alerts", async (HttpContext http) =>
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            receiver._events.Writer.TryWrite(body.RootElement.Clone());
            return Results.NoContent();
        });
        await app.StartAsync(ct);
        return receiver;
    }

    /// <summary>The next event received, or null when none arrives within <paramref name="timeout"/>.</summary>
    public async Task<JsonElement?> NextAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            return await _events.Reader.ReadAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

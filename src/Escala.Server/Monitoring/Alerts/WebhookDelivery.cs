using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Escala.Core.Monitoring.Alerts;
using Escala.Server.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escala.Server.Monitoring.Alerts;

/// <summary>
/// Sends alert events to their rules' webhooks off every request path: <see cref="Enqueue"/> never waits (a full
/// queue fails the delivery at once and says so), a bounded number of deliveries run at a time so a slow or dead
/// webhook cannot hold the others up, and each webhook gets up to <see cref="MonitoringOptions.DeliveryAttempts"/>
/// attempts with doubling backoff (network errors, timeouts, 408, 429 and 5xx are retried; other answers are final).
/// Each event's outcome is stored with it. Events still pending at a restart are sent again (at least once).
/// </summary>
public sealed partial class WebhookDelivery : BackgroundService
{
    /// <summary>The named HTTP client deliveries use.</summary>
    public const string ClientName = "escala-webhooks";

    private readonly Channel<(AlertEvent Event, IReadOnlyList<string> Hooks)> _queue;
    private readonly IHttpClientFactory _http;
    private readonly IServer _server;
    private readonly IAlertStore _store;
    private readonly MonitoringOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDelivery> _logger;
    private readonly SemaphoreSlim _slots;
    private readonly List<Task> _inFlight = [];
    private readonly Lock _gate = new();
    private long _delivered;
    private long _failed;
    private long _attempts;

    /// <summary>Creates the delivery queue.</summary>
    public WebhookDelivery(
        IHttpClientFactory http, IAlertStore store, IOptions<MonitoringOptions> options, IServer server, TimeProvider time, ILogger<WebhookDelivery> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _server = server;
        _http = http;
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _slots = new SemaphoreSlim(Math.Max(1, _options.DeliveryConcurrency));
        _queue = Channel.CreateBounded<(AlertEvent, IReadOnlyList<string>)>(new BoundedChannelOptions(Math.Max(1, _options.DeliveryQueue))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>Events delivered to every webhook.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Events that failed for at least one webhook (after every retry, or because the queue was full).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>HTTP attempts made.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Deliveries waiting.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Queues an event for its webhooks; false (and the event is marked failed) when the queue is full.</summary>
    public bool Enqueue(AlertEvent alert, IReadOnlyList<string> hooks)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(hooks);
        if (hooks.Count == 0)
        {
            return true;
        }

        if (_queue.Writer.TryWrite((alert, hooks)))
        {
            return true;
        }

        Interlocked.Increment(ref _failed);
        LogQueueFull(_logger, alert.Id, alert.Rule);
        _ = MarkAsync(alert.Id, DeliveryStatus.Failed, 0, "The delivery queue was full; the event is in the alert history.");
        return false;
    }

    /// <summary>The JSON body a webhook receives; its links are absolute, under <paramref name="baseUrl"/>.</summary>
    public static object Payload(AlertEvent alert, Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(baseUrl);
        var root = baseUrl.AbsoluteUri.TrimEnd('/');
        return new
        {
            id = alert.Id,
            status = alert.Kind == AlertTransitionKind.Fired ? "firing" : "resolved",
            rule = alert.Rule,
            ruleId = alert.RuleId,
            endpoint = alert.Endpoint,
            version = alert.Series.Length == 0 ? null : alert.Series,
            severity = alert.Severity.ToString().ToLowerInvariant(),
            metric = alert.Metric,
            value = double.IsFinite(alert.Value) ? alert.Value : (double?)null,
            threshold = alert.Threshold,
            at = alert.At,
            firedAt = alert.FiredAt,
            detail = alert.Detail,
            links = new
            {
                status = $"{root}/api/v1/endpoints/{Uri.EscapeDataString(alert.Endpoint)}/status",
                drift = $"{root}/api/v1/endpoints/{Uri.EscapeDataString(alert.Endpoint)}/drift",
                alerts = $"{root}/api/v1/alerts?endpoint={Uri.EscapeDataString(alert.Endpoint)}",
            },
        };
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RequeuePendingAsync(stoppingToken);
        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await _slots.WaitAsync(stoppingToken);
                var task = Task.Run(() => DeliverAsync(job.Event, job.Hooks, stoppingToken), CancellationToken.None);
                lock (_gate)
                {
                    _inFlight.RemoveAll(t => t.IsCompleted);
                    _inFlight.Add(task);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: deliveries in flight get a moment below; pending ones are re-sent after the restart.
        }

        Task[] running;
        lock (_gate)
        {
            running = [.. _inFlight];
        }

        await Task.WhenAny(Task.WhenAll(running), Task.Delay(TimeSpan.FromSeconds(5), _time, CancellationToken.None));
    }

    // The configured public address, else the first one the server listens on (a wildcard host becomes this machine's name).
    private Uri PublicUrl()
    {
        if (_options.PublicUrl is { } configured)
        {
            return configured;
        }

        var first = _server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (first is null || !Uri.TryCreate(first.Replace("://+", "://*", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var bound))
        {
            return new Uri("http://localhost/");
        }

        var host = bound.Host is "0.0.0.0" or "[::]" or "::" ? Dns.GetHostName() : bound.Host;
        return new UriBuilder(bound.Scheme, host, bound.Port).Uri;
    }

    private async Task DeliverAsync(AlertEvent alert, IReadOnlyList<string> hooks, CancellationToken stopping)
    {
        try
        {
            var body = JsonSerializer.Serialize(Payload(alert, PublicUrl()), EscalaJson.Options);
            var results = await Task.WhenAll(hooks.Select(hook => SendWithRetriesAsync(alert, hook, body, stopping)));
            var attempts = results.Sum(r => r.Attempts);
            var failure = results.FirstOrDefault(r => r.Error is not null).Error;
            if (failure is null)
            {
                Interlocked.Increment(ref _delivered);
            }
            else
            {
                Interlocked.Increment(ref _failed);
            }

            await MarkAsync(alert.Id, failure is null ? DeliveryStatus.Delivered : DeliveryStatus.Failed, attempts, failure);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Left pending in the store: sent again after the restart.
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<(int Attempts, string? Error)> SendWithRetriesAsync(AlertEvent alert, string hook, string body, CancellationToken stopping)
    {
        var client = _http.CreateClient(ClientName);
        var maxAttempts = Math.Max(1, _options.DeliveryAttempts);
        string? error = null;
        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            Interlocked.Increment(ref _attempts);
            TimeSpan? retryAfter = null;
            bool retry;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                timeout.CancelAfter(_options.DeliveryTimeout);
                using var request = new HttpRequestMessage(HttpMethod.Post, hook) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
                request.Headers.Add("X-Escala-Event", alert.Kind == AlertTransitionKind.Fired ? "alert.fired" : "alert.resolved");
                request.Headers.Add("X-Escala-Delivery", string.Create(CultureInfo.InvariantCulture, $"{alert.Id}-{attempt}"));
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return (attempt, null);
                }

                var status = (int)response.StatusCode;
                error = $"{hook} answered {status} {response.ReasonPhrase}";
                retry = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
                retryAfter = response.Headers.RetryAfter?.Delta;
            }
            catch (HttpRequestException e)
            {
                error = $"{hook} could not be reached: {e.Message}";
                retry = true;
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                error = $"{hook} did not answer within {_options.DeliveryTimeout.TotalSeconds:0.#} s";
                retry = true;
            }

            LogAttemptFailed(_logger, alert.Id, attempt, maxAttempts, error);
            if (!retry || attempt == maxAttempts)
            {
                return (attempt, error);
            }

            var backoff = TimeSpan.FromTicks(Math.Min(_options.DeliveryMaxBackoff.Ticks, _options.DeliveryBackoff.Ticks * (1L << Math.Min(attempt - 1, 30))));
            if (retryAfter is { } after && after > backoff)
            {
                backoff = after < _options.DeliveryMaxBackoff ? after : _options.DeliveryMaxBackoff;
            }

            await Task.Delay(backoff, _time, stopping);
        }

        return (maxAttempts, error);
    }

    private async Task RequeuePendingAsync(CancellationToken cancellationToken)
    {
        try
        {
            var pending = (await _store.ListEventsAsync(null, null, 1000, cancellationToken)).Where(e => e.Delivery == DeliveryStatus.Pending).Reverse().ToList();
            if (pending.Count == 0)
            {
                return;
            }

            var rules = (await _store.ListRulesAsync(null, cancellationToken)).ToDictionary(r => r.Id);
            foreach (var alert in pending)
            {
                if (rules.TryGetValue(alert.RuleId, out var rule) && rule.Webhooks.Count > 0)
                {
                    Enqueue(alert, rule.Webhooks);
                }
                else
                {
                    await MarkAsync(alert.Id, DeliveryStatus.Failed, alert.Attempts, "The rule was removed before its event could be delivered.");
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRequeueFailed(_logger, e);
        }
    }

    private async Task MarkAsync(long id, DeliveryStatus status, int attempts, string? error)
    {
        try
        {
            await _store.UpdateDeliveryAsync(id, status, attempts, error);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failing database must not take delivery down; the event stays pending and is retried after a restart.
            LogMarkFailed(_logger, e, id);
        }
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "Alert event {Id}: webhook attempt {Attempt} of {Max} failed: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, long id, int attempt, int max, string? error);

    [LoggerMessage(EventId = 411, Level = LogLevel.Error, Message = "Alert event {Id} ({Rule}) was not queued for its webhooks: the delivery queue is full")]
    private static partial void LogQueueFull(ILogger logger, long id, string rule);

    [LoggerMessage(EventId = 412, Level = LogLevel.Error, Message = "Could not record the delivery status of alert event {Id}")]
    private static partial void LogMarkFailed(ILogger logger, Exception exception, long id);

    [LoggerMessage(EventId = 413, Level = LogLevel.Error, Message = "Could not re-queue alert events pending delivery")]
    private static partial void LogRequeueFailed(ILogger logger, Exception exception);
}

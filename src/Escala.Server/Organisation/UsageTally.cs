using System.Collections.Concurrent;
using Escala.Core.Adoption;
using Escala.Core.Scheduling;
using Escala.Server.Monitoring;
using Escala.Server.Serving;
using Microsoft.Extensions.Options;

namespace Escala.Server.Organisation;

/// <summary>
/// Counts predictions per day, department, endpoint and version, and pseudonymous users per day, department and
/// endpoint, in memory on the request path (one dictionary lookup and an interlocked add; a user is added once a
/// day), and adds them to the durable counters on every flush. The gateway's <see cref="IPredictionObserver"/> for
/// adoption: it sees every request, unlike the sampled prediction log. Every node flushes its own tally.
/// </summary>
public sealed class UsageTally(IUsageStore store, IOptions<MonitoringOptions> options, TimeProvider time) : IPredictionObserver, IScheduledJob
{
    /// <summary>
    /// Counting usage is part of watching the gateway's traffic: <c>Monitoring:Enabled=false</c> (which takes every
    /// observer off the request path, e.g. to measure the bare gateway) stops it too, and adoption then shows no new use.
    /// </summary>
    public bool IsEnabled => options.Value.Enabled;

    private readonly ConcurrentDictionary<(int Day, string Department, string Endpoint, string Target), Counter> _counts = new();
    private readonly ConcurrentDictionary<UserActivity, byte> _users = new();
    private readonly SemaphoreSlim _flush = new(1, 1);

    /// <inheritdoc/>
    public string Name => "usage-flush";

    /// <inheritdoc/>
    public TimeSpan Interval => TimeSpan.FromSeconds(10);

    /// <inheritdoc/>
    public bool EveryNode => true;

    /// <inheritdoc/>
    public void AfterAnswer(PredictionContext context, PredictionOutcome outcome, TimeSpan latency)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(outcome);
        // Inputs the caller must fix are not use; answers and failures of the service are.
        if (outcome.Status is PredictionStatus.InvalidInput or PredictionStatus.Refused)
        {
            return;
        }

        var day = UsageDay.Of(context.ReceivedAt);
        var department = context.Department ?? "";
        var endpoint = context.Snapshot.Name;
        var counter = _counts.GetOrAdd((day, department, endpoint, outcome.Target?.Key ?? "-"), static _ => new Counter());
        Interlocked.Increment(ref counter.Predictions);
        if (outcome.Status == PredictionStatus.Failed)
        {
            Interlocked.Increment(ref counter.Errors);
        }

        if (context.UserKey is { } user && outcome.Status == PredictionStatus.Answered)
        {
            _users.TryAdd(new UserActivity(day, department, endpoint, user), 0);
        }
    }

    /// <inheritdoc/>
    public Task RunAsync(CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    /// <summary>Adds what was counted since the last flush to the store; on failure the counts are kept for the next one.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _flush.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var counts = new List<UsageCount>();
            foreach (var (key, counter) in _counts)
            {
                var predictions = Interlocked.Exchange(ref counter.Predictions, 0);
                var errors = Interlocked.Exchange(ref counter.Errors, 0);
                if (predictions != 0 || errors != 0)
                {
                    counts.Add(new UsageCount(key.Day, key.Department, key.Endpoint, key.Target, predictions, errors));
                }
            }

            var users = new List<UserActivity>();
            foreach (var user in _users.Keys)
            {
                if (_users.TryRemove(user, out _))
                {
                    users.Add(user);
                }
            }

            try
            {
                await store.AddAsync(counts, users, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Put everything back so a failed write loses nothing; the next flush retries it.
                foreach (var c in counts)
                {
                    var counter = _counts.GetOrAdd((c.Day, c.Department, c.Endpoint, c.Target), static _ => new Counter());
                    Interlocked.Add(ref counter.Predictions, c.Predictions);
                    Interlocked.Add(ref counter.Errors, c.Errors);
                }

                foreach (var u in users)
                {
                    _users.TryAdd(u, 0);
                }

                throw;
            }

            // Days before yesterday get no more requests: drop their (now empty) counters.
            var old = UsageDay.Of(time.GetUtcNow()) - 1;
            foreach (var key in _counts.Keys.Where(k => k.Day < old))
            {
                _counts.TryRemove(key, out _);
            }
        }
        finally
        {
            _flush.Release();
        }
    }

    private sealed class Counter
    {
        public long Predictions;
        public long Errors;
    }
}

using System.Collections.Frozen;
using Escala.Core.Changes;
using Escala.Core.Scheduling;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Cluster;

/// <summary>
/// Keeps this node's caches (key ring, serving snapshots, monitors, alert rules) in step with the shared
/// database. Each pass waits for a NOTIFY wake-up (or <see cref="PollInterval"/>), then applies the change log
/// from the last revision it applied. The log is the truth: a notification lost
/// with a connection only delays a change to the next poll. A pass that fails applies nothing past the
/// failure, so the next pass resumes in revision order. Runs on every node.
/// </summary>
public sealed partial class ChangeFollower(IChangeFeed feed, IEnumerable<IChangeHandler> handlers, ILogger<ChangeFollower> logger) : IScheduledJob
{
    /// <summary>The longest a pass waits for a wake-up before reading the log anyway.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private const int BatchSize = 500;
    private readonly FrozenDictionary<string, IChangeHandler> _handlers = handlers.ToFrozenDictionary(h => h.Topic, StringComparer.Ordinal);
    private long? _applied;

    /// <inheritdoc/>
    public string Name => "change-follower";

    /// <inheritdoc/>
    public TimeSpan Interval => TimeSpan.FromMilliseconds(100);

    /// <inheritdoc/>
    public bool EveryNode => true;

    /// <summary>The last revision this node applied (null before <see cref="StartAsync"/>).</summary>
    public long? Applied => _applied;

    /// <summary>
    /// Notes the newest revision before this node loads its caches (keys, endpoints): a change committed while they
    /// load is then applied by the first pass instead of being missed. <see cref="ChangeFollowerStart"/> calls it.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken) =>
        _applied ??= await feed.HeadAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Wait first: a notification that arrived since the last pass returns at once, and an unreachable database is
        // retried once per wait instead of failing every tick.
        await feed.WaitAsync(PollInterval, cancellationToken).ConfigureAwait(false);
        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        if (_applied is not { } applied)
        {
            // Head first, then reload: a change after the head is applied below, one before it is in the reload.
            var head = await feed.HeadAsync(cancellationToken).ConfigureAwait(false);
            await ReloadAllAsync(cancellationToken).ConfigureAwait(false);
            _applied = head;
            return;
        }

        while (true)
        {
            var changes = await feed.ReadAfterAsync(applied, BatchSize, cancellationToken).ConfigureAwait(false);
            if (changes.Count == 0)
            {
                return;
            }

            if (changes[0].Revision != applied + 1)
            {
                // The log no longer holds what this node missed: start again from everything.
                LogGap(logger, applied, changes[0].Revision);
                _applied = null;
                await CatchUpAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            foreach (var topic in changes.Where(c => !c.Local).GroupBy(c => c.Topic, StringComparer.Ordinal))
            {
                if (_handlers.TryGetValue(topic.Key, out var handler))
                {
                    await handler.ApplyAsync([.. topic.Select(c => c.Key).Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
                }
            }

            applied = changes[^1].Revision;
            _applied = applied;
            if (changes.Count < BatchSize)
            {
                return;
            }
        }
    }

    private async Task ReloadAllAsync(CancellationToken cancellationToken)
    {
        foreach (var handler in _handlers.Values)
        {
            await handler.ReloadAllAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 7100, Level = LogLevel.Warning, Message = "Change log moved on from revision {Applied} to {Oldest} while this node was away; reloading everything")]
    private static partial void LogGap(ILogger logger, long applied, long oldest);
}

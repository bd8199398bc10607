using System.Collections.Frozen;
using Escala.Core.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Scheduling;

/// <summary>
/// The one scheduler: runs every registered <see cref="IScheduledJob"/> on its interval, cluster-wide
/// jobs only while this node holds the <see cref="ISchedulerLease"/>. A failing pass is logged and
/// does not stop the job or any other. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class JobScheduler(
    IEnumerable<IScheduledJob> jobs,
    ISchedulerLease lease,
    TimeProvider time,
    ILogger<JobScheduler> logger) : BackgroundService
{
    private readonly FrozenDictionary<string, IScheduledJob> _jobs = jobs.ToFrozenDictionary(j => j.Name, StringComparer.Ordinal);

    /// <summary>The registered jobs by name.</summary>
    public IReadOnlyDictionary<string, IScheduledJob> Jobs => _jobs;

    /// <summary>
    /// Runs one pass of the named job now, subject to the lease like a timed pass; returns whether it
    /// ran. For tests and for operators who do not want to wait for the next tick.
    /// </summary>
    public async Task<bool> RunOnceAsync(string name, CancellationToken cancellationToken)
    {
        if (!_jobs.TryGetValue(name, out var job))
        {
            throw new ArgumentException($"No scheduled job is named '{name}'; the jobs are {string.Join(", ", _jobs.Keys)}.", nameof(name));
        }

        return await PassAsync(job, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_jobs.Values.Select(job => LoopAsync(job, stoppingToken)));

    private async Task LoopAsync(IScheduledJob job, CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(job.Interval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await PassAsync(job, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task<bool> PassAsync(IScheduledJob job, CancellationToken cancellationToken)
    {
        try
        {
            if (!job.EveryNode && !await lease.HoldsAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            await job.RunAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // One job's failure must not stop the scheduler or the other jobs; it is logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogJobFailed(logger, e, job.Name);
            return false;
        }
    }

    [LoggerMessage(EventId = 7000, Level = LogLevel.Error, Message = "Scheduled job {Job} failed; it runs again at its next tick")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, string job);
}

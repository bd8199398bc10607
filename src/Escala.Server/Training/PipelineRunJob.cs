using Escala.Core.Audit;
using Escala.Core.Pipelines;
using Escala.Core.Scheduling;
using Escala.Training.Pipelines;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Training;

/// <summary>
/// Runs queued pipeline runs on the one scheduler, one at a time: each pass claims the oldest queued run whose
/// pipeline has none running and executes it to its end. The first pass after a start marks runs a stopped server
/// left running as interrupted (their steps changed nothing halfway: registry and endpoint changes are transactions).
/// </summary>
public sealed partial class PipelineRunJob(
    IPipelineStore store, PipelineRunner runner, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<PipelineRunJob> logger) : IScheduledJob
{
    private bool _recovered;

    /// <inheritdoc/>
    public string Name => "pipeline-runs";

    /// <inheritdoc/>
    public TimeSpan Interval => TimeSpan.FromMilliseconds(500);

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!_recovered)
        {
            var now = time.GetUtcNow();
            var interrupted = await store.InterruptRunningAsync("the server stopped while the run was in progress", now,
                run => new AuditEntry(now, "system (system)", "pipeline.run.interrupted", $"pipeline/{run.Pipeline}/runs/{run.Id}", null, AuditEntry.ToJson(run)),
                cancellationToken);
            foreach (var run in interrupted)
            {
                LogInterrupted(logger, run.Id, run.Pipeline);
            }

            _recovered = true;
        }

        // Drain the queue in this pass; the scheduler's token (shutdown) stops a step in progress.
        while (!cancellationToken.IsCancellationRequested && await store.ClaimNextAsync(time.GetUtcNow(), cancellationToken) is { } run)
        {
            LogStarted(logger, run.Id, run.Pipeline, run.Trigger.Kind);
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
            var ended = await runner.ExecuteAsync(run, stopping.Token);
            LogEnded(logger, ended.Id, ended.Pipeline, ended.Status, ended.Reason ?? "-");
        }
    }

    [LoggerMessage(EventId = 8100, Level = LogLevel.Warning, Message = "Pipeline run {Run} of {Pipeline} was interrupted by a server stop")]
    private static partial void LogInterrupted(ILogger logger, long run, string pipeline);

    [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "Pipeline run {Run} of {Pipeline} started ({Trigger})")]
    private static partial void LogStarted(ILogger logger, long run, string pipeline, string trigger);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Information, Message = "Pipeline run {Run} of {Pipeline} ended {Status}: {Reason}")]
    private static partial void LogEnded(ILogger logger, long run, string pipeline, RunStatus status, string reason);
}

using Escala.Core.PredictionLog;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escala.Server.PredictionLog;

/// <summary>Deletes prediction log lines older than the configured retention, on a timer.</summary>
public sealed partial class PredictionLogRetention(
    IPredictionLogStore store,
    IOptions<PredictionLogOptions> options,
    TimeProvider time,
    ILogger<PredictionLogRetention> logger) : BackgroundService
{
    /// <summary>Runs one sweep now; returns how many lines were deleted (0 when retention is off).</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var days = options.Value.RetentionDays;
        if (days <= 0)
        {
            return 0;
        }

        var deleted = await store.DeleteOlderThanAsync(time.GetUtcNow().AddDays(-days), cancellationToken).ConfigureAwait(false);
        if (deleted > 0)
        {
            LogSwept(logger, deleted, days);
        }

        return deleted;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionSweepEvery, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                LogSweepFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Prediction log: deleted {Count} lines older than {Days} days")]
    private static partial void LogSwept(ILogger logger, int count, int days);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Prediction log: retention sweep failed; will retry on the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}

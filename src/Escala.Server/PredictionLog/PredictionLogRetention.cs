using Escala.Core.PredictionLog;
using Escala.Core.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escala.Server.PredictionLog;

/// <summary>Deletes prediction log lines older than the configured retention, as a scheduled job.</summary>
public sealed partial class PredictionLogRetention(
    IPredictionLogStore store,
    IOptions<PredictionLogOptions> options,
    TimeProvider time,
    ILogger<PredictionLogRetention> logger) : IScheduledJob
{
    /// <inheritdoc/>
    public string Name => "prediction-log-retention";

    /// <inheritdoc/>
    public TimeSpan Interval => options.Value.RetentionSweepEvery;

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

    /// <inheritdoc/>
    public Task RunAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Prediction log: deleted {Count} lines older than {Days} days")]
    private static partial void LogSwept(ILogger logger, int count, int days);
}

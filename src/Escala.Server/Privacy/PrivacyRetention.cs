using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Privacy;
using Escala.Core.Scheduling;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Privacy;

/// <summary>Applies each endpoint's retention: deletes older predictions and labels, audited with the counts (a scheduled job, hourly).</summary>
public sealed partial class PrivacyRetention(IPrivacyStore store, TimeProvider time, ILogger<PrivacyRetention> logger) : IScheduledJob
{
    /// <summary>The actor recorded for purges.</summary>
    public static readonly Principal Actor = new("system:privacy-retention", "privacy retention", Role.Operator, []);

    /// <inheritdoc/>
    public string Name => "privacy-retention";

    /// <inheritdoc/>
    public TimeSpan Interval => TimeSpan.FromHours(1);

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var stored in await store.ListAsync(cancellationToken))
        {
            var retention = stored.Policy.Retention;
            if (retention.PredictionsDays is null && retention.LabelsDays is null)
            {
                continue;
            }

            var deleted = await store.PurgeAsync(
                stored.Endpoint,
                retention.PredictionsDays is { } p ? now.AddDays(-p) : null,
                retention.LabelsDays is { } l ? now.AddDays(-l) : null,
                counts => AuditEntry.Create(now, Actor, "privacy.purge", AuditSubjects.Endpoint(stored.Endpoint), null, new { counts.Predictions, counts.Labels, retention }),
                cancellationToken);
            if (deleted.Predictions + deleted.Labels > 0)
            {
                LogPurged(logger, stored.Endpoint, deleted.Predictions, deleted.Labels);
            }
        }
    }

    [LoggerMessage(EventId = 3601, Level = LogLevel.Information, Message = "Privacy retention on {Endpoint}: deleted {Predictions} predictions and {Labels} labels")]
    private static partial void LogPurged(ILogger logger, string endpoint, int predictions, int labels);
}

using Escala.Core.Problems;
using Escala.Core.Rollouts;
using Escala.Core.Scheduling;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Organisation;

/// <summary>
/// Advances plans created with <c>--auto</c> once every gate of their next wave holds (readiness, the soak period,
/// the KPIs); the audit record says <c>rollout.auto-advance</c>. Runs on the scheduler-lease holder only.
/// </summary>
public sealed partial class RolloutAutoAdvance(RolloutCatalog catalog, RolloutOperations operations, ILogger<RolloutAutoAdvance> logger) : IScheduledJob
{
    /// <inheritdoc/>
    public string Name => "rollout-auto-advance";

    /// <inheritdoc/>
    public TimeSpan Interval => TimeSpan.FromMinutes(1);

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var plan in await catalog.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!plan.Auto || plan.Finished || !(await catalog.GatesAsync(plan, cancellationToken).ConfigureAwait(false)).Passed)
            {
                continue;
            }

            try
            {
                var step = await operations.AdvanceAsync(RolloutCatalog.AutoAdvance, plan.Name, null, cancellationToken).ConfigureAwait(false);
                LogAdvanced(logger, plan.Name, step.Message);
            }
            catch (ProblemException e)
            {
                // A gate turned between the check and the advance, or someone changed the plan: try again next pass.
                LogRefused(logger, plan.Name, e.Detail);
            }
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Rollout {Plan} advanced by itself: {Message}")]
    private static partial void LogAdvanced(ILogger logger, string plan, string message);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Rollout {Plan} not advanced: {Detail}")]
    private static partial void LogRefused(ILogger logger, string plan, string detail);
}

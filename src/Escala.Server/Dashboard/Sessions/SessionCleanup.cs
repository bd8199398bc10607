using Escala.Core.Access;
using Escala.Core.Scheduling;

namespace Escala.Server.Dashboard.Sessions;

/// <summary>Deletes sessions that ended or expired more than a day ago: they can never act again, and the audit log keeps their story.</summary>
public sealed class SessionCleanup(IDashboardSessionStore store, TimeProvider time) : IScheduledJob
{
    /// <inheritdoc/>
    public string Name => "dashboard-session-cleanup";

    /// <inheritdoc/>
    public TimeSpan Interval => TimeSpan.FromHours(1);

    /// <inheritdoc/>
    public Task RunAsync(CancellationToken cancellationToken) => store.DeleteFinishedAsync(time.GetUtcNow() - TimeSpan.FromDays(1), cancellationToken);
}

namespace Escala.Server.Dashboard.Sessions;

/// <summary>Dashboard sign-in settings (<c>Dashboard:*</c>).</summary>
public sealed class DashboardSessionOptions
{
    /// <summary>How long a session lasts after sign-in, whatever happens (<c>Dashboard:SessionLifetime</c>, default 8 hours: a working day).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}

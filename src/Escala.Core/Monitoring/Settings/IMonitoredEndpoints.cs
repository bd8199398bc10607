namespace Escala.Core.Monitoring.Settings;

/// <summary>An endpoint as monitoring sees it: its name and the department that owns it (null: the organisation).</summary>
public sealed record MonitoredEndpoint(string Name, string? Department);

/// <summary>Finds the endpoints monitoring settings, alert rules and reports may refer to (the gateway's endpoints).</summary>
public interface IMonitoredEndpoints
{
    /// <summary>The endpoint, or null when there is none by that name.</summary>
    Task<MonitoredEndpoint?> FindAsync(string name, CancellationToken cancellationToken = default);
}

using Escala.Core.Audit;

namespace Escala.Core.Monitoring.Settings;

/// <summary>An endpoint's stored monitoring settings, with who set them and when.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Settings">The settings.</param>
/// <param name="UpdatedAt">When they were last set.</param>
/// <param name="UpdatedBy">Who set them.</param>
public sealed record StoredMonitoringSettings(string Endpoint, MonitoringSettings Settings, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>Where per-endpoint monitoring settings live; every change is audited in the same transaction.</summary>
public interface IMonitoringSettingsStore
{
    /// <summary>The endpoint's settings, or null when nobody set them (the defaults apply).</summary>
    Task<StoredMonitoringSettings?> FindAsync(string endpoint, CancellationToken cancellationToken = default);

    /// <summary>Every endpoint's stored settings.</summary>
    Task<IReadOnlyList<StoredMonitoringSettings>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes (creates or replaces) an endpoint's settings.</summary>
    Task SetAsync(StoredMonitoringSettings settings, AuditEntry audit, CancellationToken cancellationToken = default);
}

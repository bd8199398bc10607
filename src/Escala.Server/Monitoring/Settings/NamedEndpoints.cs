using Escala.Core.Monitoring.Settings;
using Escala.Core.Naming;

namespace Escala.Server.Monitoring.Settings;

/// <summary>
/// The endpoints monitoring may refer to, before the gateway's endpoint catalogue is merged: any valid name, owned by
/// the whole organisation. (The gateway merge replaces this with a lookup in its endpoint catalogue.)
/// </summary>
public sealed class NamedEndpoints : IMonitoredEndpoints
{
    /// <inheritdoc/>
    public Task<MonitoredEndpoint?> FindAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult<MonitoredEndpoint?>(ResourceName.IsValid(name) ? new MonitoredEndpoint(name, null) : null);
}

using Escala.Core.Endpoints;
using Escala.Core.Monitoring.Settings;

namespace Escala.Server.Monitoring.Settings;

/// <summary>
/// The endpoints monitoring settings, alert rules, reports and labels may refer to: the gateway's endpoints as
/// stored, with the department that owns each (which scopes who may change its monitoring).
/// </summary>
public sealed class GatewayEndpoints(IEndpointStore store) : IMonitoredEndpoints
{
    /// <inheritdoc/>
    public async Task<MonitoredEndpoint?> FindAsync(string name, CancellationToken cancellationToken = default) =>
        await store.FindAsync(name, cancellationToken) is { } endpoint ? new MonitoredEndpoint(endpoint.Name, endpoint.Department) : null;
}

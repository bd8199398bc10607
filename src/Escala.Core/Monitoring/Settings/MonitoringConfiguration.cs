using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Naming;
using Escala.Core.Problems;

namespace Escala.Core.Monitoring.Settings;

/// <summary>
/// The rules for reading and changing an endpoint's monitoring settings: the endpoint must exist, the caller's
/// key must be scoped to its department to change them, the settings must validate, and every change is
/// audited (subject <c>endpoint/{name}/monitoring</c>) with the settings before and after.
/// </summary>
public sealed class MonitoringConfiguration(IMonitoringSettingsStore store, IMonitoredEndpoints endpoints, TimeProvider time)
{
    /// <summary>Raised after settings changed, so live monitors rebuild (quality policy, windows, drift policy).</summary>
    public event Action<string>? Changed;

    /// <summary>Raises <see cref="Changed"/> for settings another node changed (the cluster's change follower calls it).</summary>
    public void ChangedElsewhere(string endpoint) => Changed?.Invoke(endpoint);

    /// <summary>The endpoint's settings (the defaults when none were set); throws not-found for an unknown endpoint.</summary>
    public async Task<StoredMonitoringSettings?> GetAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        await RequireEndpointAsync(endpoint, cancellationToken);
        return await store.FindAsync(endpoint, cancellationToken);
    }

    /// <summary>The settings in force for <paramref name="endpoint"/> (stored or defaults), without checking that it exists.</summary>
    public async Task<MonitoringSettings> EffectiveAsync(string endpoint, CancellationToken cancellationToken = default) =>
        (await store.FindAsync(endpoint, cancellationToken))?.Settings ?? MonitoringSettings.Defaults;

    /// <summary>Replaces the endpoint's settings after validating them.</summary>
    public async Task<StoredMonitoringSettings> SetAsync(Principal caller, string endpoint, MonitoringSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(settings);
        var found = await RequireEndpointAsync(endpoint, cancellationToken);
        RequireScope(caller, found);
        settings.Validated();
        var before = await store.FindAsync(endpoint, cancellationToken);
        var after = new StoredMonitoringSettings(found.Name, settings, time.GetUtcNow(), caller.AuditName);
        await store.SetAsync(after, new AuditEntry(after.UpdatedAt, caller.AuditName, "monitoring.settings.set", Subject(found.Name),
            before?.Settings.ToJson(), settings.ToJson()), cancellationToken);
        Changed?.Invoke(found.Name);
        return after;
    }

    /// <summary>The endpoint; throws not-found (and invalid-name) when there is none.</summary>
    public async Task<MonitoredEndpoint> RequireEndpointAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        ResourceName.Require("endpoint", endpoint);
        return await endpoints.FindAsync(endpoint, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no endpoint '{endpoint}'. Create it with `escala endpoints create {endpoint}`.");
    }

    /// <summary>Throws department-scope when the caller may not change what belongs to <paramref name="endpoint"/>.</summary>
    public static void RequireScope(Principal caller, MonitoredEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!caller.MayActFor(endpoint.Department))
        {
            throw ProblemTypes.DepartmentScope.With(endpoint.Department is null
                ? $"The endpoint '{endpoint.Name}' belongs to the whole organisation; only an organisation-wide key can change its monitoring."
                : $"The endpoint '{endpoint.Name}' belongs to '{endpoint.Department}', which your key is not scoped to.");
        }
    }

    /// <summary>The audit subject of an endpoint's monitoring.</summary>
    public static string Subject(string endpoint) => $"endpoint/{endpoint}/monitoring";
}

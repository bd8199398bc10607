using Escala.Core.Changes;
using Escala.Core.Monitoring.Alerts;
using Escala.Core.Monitoring.Settings;
using Escala.Server.Monitoring.Live;

namespace Escala.Server.Cluster;

/// <summary>Monitoring settings changed on another node: that endpoint's monitors are rebuilt here, as on the node that changed them.</summary>
public sealed class MonitoringSettingsChanges(MonitoringConfiguration configuration, MonitorDirectory monitors) : IChangeHandler
{
    /// <inheritdoc/>
    public string Topic => ChangeTopics.MonitoringSettings;

    /// <inheritdoc/>
    public async Task ApplyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        foreach (var endpoint in keys)
        {
            await monitors.ReloadAsync(endpoint).ConfigureAwait(false);
            configuration.ChangedElsewhere(endpoint);
        }
    }

    /// <inheritdoc/>
    public Task ReloadAllAsync(CancellationToken cancellationToken) =>
        ApplyAsync([.. monitors.All.Select(m => m.Endpoint).Distinct(StringComparer.Ordinal)], cancellationToken);
}

/// <summary>A version's baseline changed on another node: its monitors are rebuilt here.</summary>
public sealed class BaselineChanges(MonitorDirectory monitors) : IChangeHandler
{
    /// <inheritdoc/>
    public string Topic => ChangeTopics.Baseline;

    /// <inheritdoc/>
    public async Task ApplyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        foreach (var target in keys)
        {
            if (MonitorDirectory.TryParseTarget(target, out var model, out var version))
            {
                await monitors.ReloadAsync(model, version).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public Task ReloadAllAsync(CancellationToken cancellationToken) =>
        ApplyAsync([.. monitors.All.Select(m => m.Target).Distinct(StringComparer.Ordinal)], cancellationToken);
}

/// <summary>Alert rules added or removed on another node: the alert engine reads them again.</summary>
public sealed class AlertRuleChanges(AlertRules rules) : IChangeHandler
{
    /// <inheritdoc/>
    public string Topic => ChangeTopics.AlertRules;

    /// <inheritdoc/>
    public Task ApplyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        rules.ChangedElsewhere();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ReloadAllAsync(CancellationToken cancellationToken) => ApplyAsync([], cancellationToken);
}

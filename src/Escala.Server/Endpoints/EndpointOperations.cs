using System.Collections.Concurrent;
using Escala.Core.Access;
using Escala.Core.Endpoints;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Core.Routing;
using Escala.Server.Serving;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Endpoints;

/// <summary>
/// Applies control-plane changes to endpoints with zero downtime: plan the change (Core rules),
/// load and warm every version the new state adds, commit it with its audit entry, then swap the
/// new snapshot in atomically. If a new version cannot be loaded nothing is committed and the old
/// snapshot keeps serving. Changes to one endpoint are applied one at a time; requests are never
/// blocked by them.
/// </summary>
public sealed partial class EndpointOperations(
    EndpointCatalog catalog,
    ModelRegistry registry,
    ModelGrants grants,
    SnapshotBuilder builder,
    LiveEndpoints live,
    ServingBackends backends,
    Microsoft.Extensions.Options.IOptions<GatewayOptions> options,
    ILogger<EndpointOperations> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>Creates an endpoint (nothing deployed) and starts serving it.</summary>
    public async Task<Endpoint> CreateAsync(Principal caller, EndpointDraft draft, CancellationToken cancellationToken)
    {
        var endpoint = await catalog.CreateAsync(caller, draft, cancellationToken).ConfigureAwait(false);
        live.Publish(await builder.BuildAsync(endpoint, EmptySet, cancellationToken).ConfigureAwait(false));
        return endpoint;
    }

    /// <summary>Deploys a version (or external backend) with a strategy.</summary>
    public Task<EndpointChange> DeployAsync(Principal caller, string name, Deployment deployment, CancellationToken cancellationToken) =>
        ApplyAsync(name, async endpoint =>
        {
            await CheckDeployableAsync(caller, endpoint, deployment.Target, cancellationToken).ConfigureAwait(false);
            return await catalog.PlanDeployAsync(caller, endpoint, deployment, cancellationToken).ConfigureAwait(false);
        }, cancellationToken)!;

    /// <summary>Moves a rollout one step forward.</summary>
    public Task<EndpointChange> PromoteAsync(Principal caller, string name, string? department, string? to, CancellationToken cancellationToken) =>
        ApplyAsync(name, e => Task.FromResult<EndpointChange?>(catalog.PlanPromote(caller, e, department, to)), cancellationToken)!;

    /// <summary>Returns traffic to the version that served before the current rollout.</summary>
    public Task<EndpointChange> RollbackAsync(Principal caller, string name, string? department, CancellationToken cancellationToken) =>
        ApplyAsync(name, e => Task.FromResult<EndpointChange?>(catalog.PlanRollback(caller, e, department)), cancellationToken, checkStages: false)!;

    /// <summary>Sets or clears (null) the fallback version.</summary>
    public Task<EndpointChange> SetFallbackAsync(Principal caller, string name, ServingTarget? fallback, CancellationToken cancellationToken) =>
        ApplyAsync(name, async endpoint =>
        {
            if (fallback is not null)
            {
                await CheckDeployableAsync(caller, endpoint, fallback, cancellationToken).ConfigureAwait(false);
            }

            return catalog.PlanFallback(caller, endpoint, fallback);
        }, cancellationToken)!;

    /// <summary>Changes settings (deadline, default answer, log sample, subject field).</summary>
    public Task<EndpointChange> UpdateSettingsAsync(Principal caller, string name, SettingsChange change, CancellationToken cancellationToken) =>
        ApplyAsync(name, e => Task.FromResult<EndpointChange?>(catalog.PlanSettings(caller, e, change)), cancellationToken)!;

    /// <summary>Advances the endpoint's timed canaries that are due; null when none was.</summary>
    public Task<EndpointChange?> AdvanceDueAsync(string name, CancellationToken cancellationToken) =>
        ApplyAsync(name, e => Task.FromResult(catalog.PlanAdvance(e)), cancellationToken);

    /// <summary>
    /// Applies a change planned by another feature that stores it itself, together with its own state (a rollout
    /// wave: plan and routing in one transaction): the versions are loaded and warmed first, <paramref name="commit"/>
    /// stores the change, then the new snapshot serves.
    /// </summary>
    public Task<EndpointChange?> ApplyAsync(string name, Func<Endpoint, Task<EndpointChange?>> plan, Func<EndpointChange, Task> commit, CancellationToken cancellationToken) =>
        ApplyAsync(name, plan, cancellationToken, commit: commit);

    /// <summary>Rebuilds an endpoint's snapshot from storage (another node changed it, or a version became loadable again).</summary>
    public async Task ReloadAsync(string name, CancellationToken cancellationToken)
    {
        var endpoint = await catalog.GetAsync(name, cancellationToken).ConfigureAwait(false);
        live.Publish(await builder.BuildAsync(endpoint, EmptySet, cancellationToken).ConfigureAwait(false));
        ReleaseUnused();
    }

    /// <summary>
    /// Brings an endpoint's snapshot up to the stored generation when another node changed it (no-op when this
    /// node already serves that generation), and releases versions no snapshot uses any more.
    /// </summary>
    public async Task RefreshAsync(string name, CancellationToken cancellationToken)
    {
        var endpoint = await catalog.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (live.TryGet(name, out var current) && current.Endpoint.Generation >= endpoint.Generation)
        {
            return;
        }

        // Lenient, like a start: a version this node cannot load serves as unavailable, behind the fallback chain.
        live.Publish(await builder.BuildAsync(endpoint, EmptySet, cancellationToken).ConfigureAwait(false));
        ReleaseUnused();
        LogRefreshed(logger, name, endpoint.Generation);
    }

    /// <summary>
    /// Drops every loaded version no live snapshot routes to, so its compiled plan and constants can be
    /// collected once the requests still running on it finish: after every change, and after a change that
    /// failed after loading what it would have added.
    /// </summary>
    private void ReleaseUnused() => backends.Retain(live.All.SelectMany(s => s.Endpoint.Routing.Targets));

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();

    // Rollback passes checkStages: false: it returns traffic to what served before (perhaps a version archived
    // since), and an operator must always be able to undo a rollout. A commit callback stores the change together with
    // other state in one transaction (a rollout plan's wave and the routing it serves).
    private async Task<EndpointChange?> ApplyAsync(
        string name, Func<Endpoint, Task<EndpointChange?>> plan, CancellationToken cancellationToken, bool checkStages = true,
        Func<EndpointChange, Task>? commit = null)
    {
        var gate = _gates.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = await catalog.GetAsync(name, cancellationToken).ConfigureAwait(false);
            var change = await plan(current).ConfigureAwait(false);
            if (change is null)
            {
                return null;
            }

            if (checkStages)
            {
                await CheckStagesAsync(change, cancellationToken).ConfigureAwait(false);
            }

            // Versions this change adds must load and warm now, before anything is committed or served.
            var before = change.Before.Routing.Targets.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
            var added = change.After.Routing.Targets.Select(t => t.Key).Where(k => !before.Contains(k)).ToHashSet(StringComparer.Ordinal);
            ServingSnapshot snapshot;
            try
            {
                snapshot = await builder.BuildAsync(change.After, added, cancellationToken).ConfigureAwait(false);
                ShadowFit.Check(snapshot, added);
                await (commit is null ? catalog.CommitAsync(change, CancellationToken.None) : commit(change)).ConfigureAwait(false);
            }
            catch
            {
                // Nothing changed, but the versions this change loaded would stay cached (and in memory) for nothing.
                ReleaseUnused();
                throw;
            }

            live.Publish(snapshot);
            ReleaseUnused();
            LogApplied(logger, change.Audit.Action, name, change.After.Generation, change.Message);
            return change;
        }
        finally
        {
            gate.Release();
        }
    }

    // Every change that gives a version more of the live answers than it had is held to the endpoint's stage rules
    // (its own, else the server's): deploys, promotes, fallbacks and each timed canary step.
    private async Task CheckStagesAsync(EndpointChange change, CancellationToken cancellationToken)
    {
        var rules = change.After.Settings.StageRules ?? options.Value.StageRules;
        var problem = await rules.CheckAsync(change.After.Name, change.Before.Routing, change.After.Routing, async (target, ct) =>
            (await registry.GetVersionAsync(target.Model, target.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ct).ConfigureAwait(false)).Stage,
            cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            throw ProblemTypes.StageRule.With(problem);
        }
    }

    private async Task CheckDeployableAsync(Principal caller, Endpoint endpoint, ServingTarget target, CancellationToken cancellationToken)
    {
        if (target is not LocalModelTarget local)
        {
            return;
        }

        await grants.RequireServeAsync(caller, local.Model, endpoint.Department, cancellationToken).ConfigureAwait(false);

        var version = await registry.GetVersionAsync(local.Model, local.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        if (version.Stage == Stage.Archived)
        {
            throw ProblemTypes.ValidationFailed.With(
                $"{local.Key} is archived; restore it to staging (`escala models stage {local.Model} {local.Version} staging`) before deploying it.");
        }

        // Every deploy re-checks the stored file, even when the version is already loaded: a damaged artifact is not
        // deployed anywhere new from a session cached before the damage.
        await registry.VerifyArtifactAsync(version, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 3021, Level = LogLevel.Information, Message = "Endpoint {Endpoint} changed on another node: now serving generation {Generation}")]
    private static partial void LogRefreshed(ILogger logger, string endpoint, long generation);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "{Action} on endpoint {Endpoint} (generation {Generation}): {Message}")]
    private static partial void LogApplied(ILogger logger, string action, string endpoint, long generation, string message);
}

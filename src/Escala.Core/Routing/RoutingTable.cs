using System.Collections.Immutable;

namespace Escala.Core.Routing;

/// <summary>
/// The routing definition of one endpoint: the default policy, per-department policies that
/// override it, the fallback version and every target they name. It is an immutable value: deploy,
/// promote, rollback and timer advances each return a new table (or a refusal), which the gateway
/// compiles into a <see cref="RoutingPlan"/> and swaps in atomically.
/// </summary>
/// <param name="Default">The policy for requests from departments without their own; null when nothing is deployed for everyone.</param>
/// <param name="Departments">Department-scoped policies, in the order they were first deployed.</param>
/// <param name="Targets">Every target referenced by a policy or as the fallback.</param>
/// <param name="Fallback">The key of the version that answers when the routed one fails or misses its deadline.</param>
public sealed record RoutingTable(
    TrafficPolicy? Default,
    ImmutableArray<DepartmentRoute> Departments,
    ImmutableArray<ServingTarget> Targets,
    string? Fallback = null)
{
    /// <summary>An endpoint with nothing deployed.</summary>
    public static readonly RoutingTable Empty = new(null, [], []);

    /// <summary>Department-scoped policies (never a default array, even when read from old JSON).</summary>
    public ImmutableArray<DepartmentRoute> Departments { get; init; } = Departments.IsDefault ? [] : Departments;

    /// <summary>Every target the table names.</summary>
    public ImmutableArray<ServingTarget> Targets { get; init; } = Targets.IsDefault ? [] : Targets;

    /// <summary>The policy owned by this scope: the department's own, or the default when <paramref name="department"/> is null.</summary>
    public TrafficPolicy? OwnPolicy(string? department) =>
        department is null ? Default : Departments.FirstOrDefault(d => SameDepartment(d.Department, department))?.Policy;

    /// <summary>The policy requests from <paramref name="department"/> follow: its own, else the default.</summary>
    public TrafficPolicy? EffectivePolicy(string? department) => OwnPolicy(department) ?? Default;

    /// <summary>The target with this key, or null.</summary>
    public ServingTarget? FindTarget(string key) => Targets.FirstOrDefault(t => t.Key == key);

    /// <summary>The earliest time a timer-driven policy is due to advance, if any.</summary>
    public DateTimeOffset? NextAdvanceAt =>
        Scopes().Select(s => s.Policy.AdvanceDueAt).Where(d => d is not null).Min();

    /// <summary>Puts a version into service as <paramref name="deployment"/> describes.</summary>
    public RoutingChange Deploy(Deployment deployment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var problem = ValidateTarget(deployment.Target) ?? ValidateOptions(deployment);
        if (problem is not null)
        {
            return RoutingChange.Refused(RoutingError.Invalid, problem);
        }

        var key = deployment.Target.Key;
        var existing = FindTarget(key);
        if (existing is not null && existing != deployment.Target)
        {
            return RoutingChange.Refused(RoutingError.Invalid, $"This endpoint already has a target named '{key}' that points elsewhere; choose another name.");
        }

        var scope = ScopeName(deployment.Department);
        var own = OwnPolicy(deployment.Department);
        if (own is not null and not SinglePolicy)
        {
            return RoutingChange.Refused(RoutingError.RolloutInProgress,
                $"A {own.Strategy.Name()} rollout is running for {scope} ({own.Describe()}); promote or roll it back first.");
        }

        var live = EffectivePolicy(deployment.Department)?.Live;
        if (live == key)
        {
            return RoutingChange.Refused(RoutingError.Invalid, $"'{key}' already serves {scope}.");
        }

        if (deployment.Strategy != Strategy.Single && live is null)
        {
            return RoutingChange.Refused(RoutingError.NoLiveVersion,
                $"A {deployment.Strategy.Name()} rollout needs a version already serving {scope}; deploy one first with --strategy single.");
        }

        var percent = deployment.Percent;
        TrafficPolicy policy = deployment.Strategy switch
        {
            // A department without its own policy returns to the default on rollback, so it records no previous version.
            Strategy.Single => new SinglePolicy(key, own?.Live),
            Strategy.Split => new SplitPolicy([new(live!, 100 - (percent ?? 50)), new(key, percent ?? 50)]),
            Strategy.Canary => new CanaryPolicy(live!, key, deployment.Steps ?? CanaryPolicy.DefaultSteps, 0, now, deployment.Interval),
            Strategy.BlueGreen => new BlueGreenPolicy(live!, key, GreenLive: false),
            Strategy.Shadow => new ShadowPolicy(live!, key, percent ?? 100),
            Strategy.Ab => new AbTestPolicy([new(live!, 100 - (percent ?? 50)), new(key, percent ?? 50)], $"{key}@{now.ToUnixTimeMilliseconds()}"),
            _ => throw new ArgumentOutOfRangeException(nameof(deployment)),
        };

        var table = this with { Targets = existing is null ? Targets.Add(deployment.Target) : Targets };
        return RoutingChange.Applied(table.WithPolicy(deployment.Department, policy).Pruned(),
            $"deployed {key} to {scope}: {policy.Describe()}");
    }

    /// <summary>Moves the rollout in a scope one step forward.</summary>
    public RoutingChange Promote(string? department, string? to, DateTimeOffset now)
    {
        var own = OwnPolicy(department);
        if (own is null)
        {
            return RoutingChange.Refused(RoutingError.NothingToPromote, $"Nothing is deployed for {ScopeName(department)}.");
        }

        return Apply(department, own.Promote(now, to));
    }

    /// <summary>Returns traffic in a scope to the version that served before the current rollout.</summary>
    public RoutingChange Rollback(string? department, DateTimeOffset now)
    {
        var own = OwnPolicy(department);
        if (own is null)
        {
            return RoutingChange.Refused(RoutingError.NothingToRollBack, $"Nothing is deployed for {ScopeName(department)}.");
        }

        // A department's single version with nothing before it is the department rule itself: rolling
        // it back removes the rule, and the department follows the endpoint's default again.
        if (department is not null && own is SinglePolicy { Previous: null } single)
        {
            return Apply(department, PolicyStep.To(null, $"department rule removed: {department} no longer pinned to {single.Target}, follows the default"));
        }

        return Apply(department, own.Rollback(now));
    }

    /// <summary>Sets (or clears, with null) the version that answers when the routed one fails.</summary>
    public RoutingChange WithFallback(ServingTarget? target)
    {
        if (target is null)
        {
            return RoutingChange.Applied((this with { Fallback = null }).Pruned(), "fallback version cleared");
        }

        var problem = ValidateTarget(target);
        if (problem is not null)
        {
            return RoutingChange.Refused(RoutingError.Invalid, problem);
        }

        var existing = FindTarget(target.Key);
        if (existing is not null && existing != target)
        {
            return RoutingChange.Refused(RoutingError.Invalid, $"This endpoint already has a target named '{target.Key}' that points elsewhere; choose another name.");
        }

        var table = this with { Fallback = target.Key, Targets = existing is null ? Targets.Add(target) : Targets };
        return RoutingChange.Applied(table, $"fallback version set to {target.Key}");
    }

    /// <summary>Advances every timer-driven policy that is due at <paramref name="now"/>; returns the new table and what moved.</summary>
    public (RoutingTable Table, IReadOnlyList<string> Changes) AdvanceDue(DateTimeOffset now)
    {
        var table = this;
        var changes = new List<string>();
        foreach (var (department, policy) in Scopes())
        {
            if (policy.AdvanceDueAt is { } due && due <= now)
            {
                var change = table.Apply(department, policy.Promote(now, null));
                if (change.Succeeded)
                {
                    table = change.Table!;
                    changes.Add($"{ScopeName(department)}: {change.Message} (timer)");
                }
            }
        }

        return (table, changes);
    }

    /// <summary>Every scope with its own policy: (null, default) first, then each department.</summary>
    public IEnumerable<(string? Department, TrafficPolicy Policy)> Scopes()
    {
        if (Default is not null)
        {
            yield return (null, Default);
        }

        foreach (var route in Departments)
        {
            yield return (route.Department, route.Policy);
        }
    }

    /// <summary>Department names compare without regard to case, as people type them.</summary>
    public static bool SameDepartment(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private RoutingChange Apply(string? department, PolicyStep step) => step.Succeeded
        ? RoutingChange.Applied(WithPolicy(department, step.Next).Pruned(), step.Message)
        : RoutingChange.Refused(step.Error, step.Message);

    private RoutingTable WithPolicy(string? department, TrafficPolicy? policy)
    {
        if (department is null)
        {
            return this with { Default = policy };
        }

        var index = Departments.IndexOf(Departments.FirstOrDefault(d => SameDepartment(d.Department, department))!);
        if (policy is null)
        {
            return index < 0 ? this : this with { Departments = Departments.RemoveAt(index) };
        }

        var route = new DepartmentRoute(index < 0 ? department : Departments[index].Department, policy);
        return this with { Departments = index < 0 ? Departments.Add(route) : Departments.SetItem(index, route) };
    }

    // Targets nothing refers to any more are dropped, so the gateway can release their sessions.
    private RoutingTable Pruned()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, policy) in Scopes())
        {
            used.UnionWith(policy.Targets);
        }

        if (Fallback is not null)
        {
            used.Add(Fallback);
        }

        return this with { Targets = [.. Targets.Where(t => used.Contains(t.Key))] };
    }

    private static string ScopeName(string? department) => department is null ? "all departments" : $"department '{department}'";

    private static string? ValidateTarget(ServingTarget target) => target switch
    {
        LocalModelTarget { Model: var m } when string.IsNullOrWhiteSpace(m) => "The model name is empty; write MODEL:VERSION, e.g. credit-risk:2.",
        LocalModelTarget { Version: <= 0 } local => $"Version {local.Version} of '{local.Model}' is not a version number; versions start at 1.",
        ExternalTarget { Name: var n } when string.IsNullOrWhiteSpace(n) || n.Contains(':', StringComparison.Ordinal) =>
            $"External backend name '{n}' must be non-empty and without ':' (which is kept for MODEL:VERSION).",
        ExternalTarget { BaseUrl: var u } when !u.IsAbsoluteUri || (u.Scheme != Uri.UriSchemeHttp && u.Scheme != Uri.UriSchemeHttps) =>
            $"External backend URL '{u}' must be an absolute http:// or https:// address.",
        ExternalTarget { RemoteModel: var r } when string.IsNullOrWhiteSpace(r) => "The external backend needs the model name it serves.",
        _ => null,
    };

    private static string? ValidateOptions(Deployment d)
    {
        if (d.Department is { } dept && string.IsNullOrWhiteSpace(dept))
        {
            return "The department name is empty.";
        }

        if (d.Percent is { } p)
        {
            var tooBig = d.Strategy == Strategy.Shadow ? p > 100 : p >= 100;
            if (!double.IsFinite(p) || p <= 0 || tooBig)
            {
                return d.Strategy == Strategy.Shadow
                    ? $"--percent {p}: the shadow's mirrored share must be above 0 and at most 100."
                    : $"--percent {p}: the new version's share must be above 0 and below 100 (use --strategy single for all traffic).";
            }
        }

        if (d.Strategy == Strategy.Canary && d.Steps is { } steps && CanaryPolicy.ValidateSteps(steps) is { } stepProblem)
        {
            return stepProblem;
        }

        if (d.Interval is { } interval && interval <= TimeSpan.Zero)
        {
            return $"The canary interval {interval} must be positive.";
        }

        return null;
    }
}

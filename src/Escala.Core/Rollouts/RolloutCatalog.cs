using System.Collections.Immutable;
using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Departments;
using Escala.Core.Endpoints;
using Escala.Core.Monitoring.Settings;
using Escala.Core.Naming;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Core.Routing;
using Escala.Core.UseCases;

namespace Escala.Core.Rollouts;

/// <summary>
/// The rules of rollout plans: what a valid plan is, ticking readiness items, judging the next wave, and planning
/// the routing change and plan state of an advance or a rollback as one change that the store commits atomically.
/// </summary>
public sealed class RolloutCatalog(
    IRolloutStore store, IUseCaseStore useCases, IEndpointStore endpoints, IDepartmentStore departments, IModelStore models, IRolloutMeasurements measurements, TimeProvider time)
{
    /// <summary>The soak when a plan names none.</summary>
    public static readonly TimeSpan DefaultSoak = TimeSpan.FromHours(24);

    /// <summary>The actor of advances the scheduler makes by itself.</summary>
    public static readonly Principal AutoAdvance = new("system:rollout-auto", "rollout auto-advance", Role.Operator, []);

    /// <summary>The plan; throws not-found.</summary>
    public async Task<RolloutPlan> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        ResourceName.Require("rollout plan", name);
        return await store.FindAsync(name, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no rollout plan '{name}'. Create it with `escala rollouts create {name} --usecase U --endpoint E --version MODEL:V --wave D`.");
    }

    /// <summary>All plans.</summary>
    public Task<IReadOnlyList<RolloutPlan>> ListAsync(CancellationToken cancellationToken = default) => store.ListAsync(cancellationToken);

    /// <summary>Creates a plan with no wave served; throws validation-failed or not-found naming what is wrong.</summary>
    public async Task<RolloutPlan> CreateAsync(Principal caller, RolloutDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(draft);
        ResourceName.Require("rollout plan", draft.Name);
        ResourceName.Require("use case", draft.UseCase);
        var useCase = await useCases.FindAsync(draft.UseCase, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no use case '{draft.UseCase}'. Create it with `escala usecases create {draft.UseCase}`.");
        ResourceName.Require("endpoint", draft.Endpoint);
        var endpoint = await endpoints.FindAsync(draft.Endpoint, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no endpoint '{draft.Endpoint}'.");
        if (!useCase.Endpoints.Contains(endpoint.Name))
        {
            throw ProblemTypes.ValidationFailed.With(
                $"The endpoint '{endpoint.Name}' does not serve the use case '{useCase.Name}' (it is served by {string.Join(", ", useCase.Endpoints)}); add it with `escala usecases update {useCase.Name} --endpoint {endpoint.Name}`.");
        }

        EndpointCatalog.RequireManage(caller, endpoint);
        var target = LocalModelTarget.TryParse(draft.Version)
            ?? throw ProblemTypes.ValidationFailed.With($"--version must read MODEL:VERSION, e.g. credit-risk:2; got '{ResourceName.Printable(draft.Version)}'.");
        var version = await models.FindVersionAsync(target.Model, target.Version, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no version {target.Key}; register it with `escala models register {target.Model} FILE`.");
        if (version.Stage == Stage.Archived)
        {
            throw ProblemTypes.ValidationFailed.With($"{target.Key} is archived; a rollout needs a version that may serve.");
        }

        var waves = await ParseWavesAsync(draft.Waves, cancellationToken);
        var soak = draft.Soak is null ? DefaultSoak : ParseSoak(draft.Soak);
        var gates = draft.Gates is { Count: > 0 } given ? given.Select(GateSpec.Parse).ToImmutableArray() : [.. GateSpec.Defaults];
        var twice = gates.GroupBy(g => g.Metric).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw ProblemTypes.ValidationFailed.With($"The gate metric '{twice.Key}' is given twice; give each metric one threshold.");
        }

        var now = time.GetUtcNow();
        var plan = new RolloutPlan(draft.Name, useCase.Name, endpoint.Name, target.Key, waves, soak, gates, draft.Auto, 0, [], [], now, caller.AuditName, now, 1);
        if (!await store.TryAddAsync(plan, AuditEntry.Create<RolloutPlan>(now, caller, "rollout.create", Subject(plan.Name), null, plan), cancellationToken))
        {
            throw ProblemTypes.AlreadyExists.With($"The rollout plan '{draft.Name}' already exists; see it with `escala rollouts show {draft.Name}`.");
        }

        return plan;
    }

    /// <summary>Ticks (or with <paramref name="undo"/> unticks) a readiness item for a department of the plan.</summary>
    public async Task<RolloutPlan> CheckAsync(Principal caller, string name, string department, string item, string? note, bool undo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var plan = await GetAsync(name, cancellationToken);
        if (!ReadinessItems.IsKnown(item))
        {
            throw ProblemTypes.ValidationFailed.With($"There is no readiness item '{ResourceName.Printable(item)}'; the items are {ReadinessItems.List}.");
        }

        ResourceName.Require("department", department);
        var known = await departments.FindAsync(department, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no department '{department}'.");
        var everyone = plan.Waves.Any(w => w.IsEveryone);
        if (!everyone && !plan.NamedDepartments.Contains(known.Name, StringComparer.OrdinalIgnoreCase))
        {
            throw ProblemTypes.ValidationFailed.With($"The department '{known.Name}' is in no wave of the plan '{plan.Name}' (waves: {string.Join(" | ", plan.Waves)}).");
        }

        var evidence = FreeText.Optional("note", note, 500);
        var now = time.GetUtcNow();
        var others = plan.Checklist.Where(t => !(t.Item == item && string.Equals(t.Department, known.Name, StringComparison.OrdinalIgnoreCase)));
        var checklist = undo
            ? others.ToImmutableArray()
            : [.. others, new ChecklistTick(known.Name, item, caller.AuditName, evidence, now)];
        if (undo && checklist.Length == plan.Checklist.Length)
        {
            throw ProblemTypes.Conflict.With($"'{item}' is not ticked for '{known.Name}' in the plan '{plan.Name}'; there is nothing to undo.");
        }

        var after = plan with { Checklist = checklist, UpdatedAt = now, Generation = plan.Generation + 1 };
        await CommitAsync(plan, after,
            AuditEntry.Create(now, caller, undo ? "rollout.uncheck" : "rollout.check", $"{Subject(plan.Name)}/{known.Name}/{item}", plan, after), null, cancellationToken);
        return after;
    }

    /// <summary>The next wave's gates, measured now.</summary>
    public async Task<WaveGateReport> GatesAsync(RolloutPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var all = await AllDepartmentsAsync(cancellationToken);
        var now = time.GetUtcNow();
        IReadOnlyDictionary<string, Measurement> measured = plan.Served > 0 && !plan.Finished
            ? await measurements.MeasureAsync(plan, plan.ServedDepartments(all), plan.ServedAt[plan.Served - 1], cancellationToken)
            : new Dictionary<string, Measurement>();
        return WaveGates.Evaluate(plan, all, measured, now);
    }

    /// <summary>
    /// Plans serving the next wave: refuses a finished plan, and (without an override) any failing gate, naming
    /// every one; an override needs an admin and a reason, and both go into the audit record.
    /// </summary>
    public async Task<RolloutStep> PlanAdvanceAsync(Principal caller, RolloutPlan plan, Endpoint endpoint, string? overrideReason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (plan.Finished)
        {
            throw ProblemTypes.RolloutConflict.With($"The plan '{plan.Name}' is finished: all {plan.Waves.Length} waves serve. Roll back with `escala rollouts rollback {plan.Name}`.");
        }

        EndpointCatalog.RequireManage(caller, endpoint);
        var reason = FreeText.Optional("override reason", overrideReason, 500);
        if (overrideReason is not null && reason is null)
        {
            throw ProblemTypes.ValidationFailed.With("--override needs a reason, e.g. --override \"sponsor accepted the risk in the steering committee of 3 May\".");
        }

        if (reason is not null && !caller.HasRole(Role.Admin))
        {
            throw ProblemTypes.InsufficientRole.With("Only an admin may override a rollout's gates.");
        }

        var report = await GatesAsync(plan, cancellationToken);
        if (!report.Passed && reason is null)
        {
            throw ProblemTypes.GatesFailing.With(
                $"Wave {report.NextWave} of '{plan.Name}' is blocked by {string.Join("; ", report.Failing.Select(g => $"{g.Name} ({g.Detail})"))}.");
        }

        var all = await AllDepartmentsAsync(cancellationToken);
        var wave = plan.Waves[plan.Served];
        var now = time.GetUtcNow();
        var target = LocalModelTarget.TryParse(plan.Target)!;
        var routing = WaveRouting.Serve(endpoint.Routing, wave.IsEveryone ? null : plan.DepartmentsOf(plan.Served, all), target, now);
        var after = plan with { Served = plan.Served + 1, ServedAt = plan.ServedAt.Add(now), UpdatedAt = now, Generation = plan.Generation + 1 };
        var action = reason is null ? (caller == AutoAdvance ? "rollout.auto-advance" : "rollout.advance") : "rollout.advance-override";
        var audit = AuditEntry.Create(now, caller, action, Subject(plan.Name), plan, after) is var entry && reason is not null
            ? entry with { After = AuditEntry.ToJson(new { plan = after, overrideReason = reason, failingGates = report.Failing.Select(g => g.Name).ToArray() }) }
            : entry;
        return new RolloutStep(plan, after, audit, EndpointChangeFor(caller, endpoint, routing, now), report,
            $"wave {after.Served} ({wave}) now served by {plan.Target}{(reason is null ? "" : $" (gates overridden: {reason})")}");
    }

    /// <summary>Plans taking the last served wave back.</summary>
    public async Task<RolloutStep> PlanRollbackAsync(Principal caller, RolloutPlan plan, Endpoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (plan.Served == 0)
        {
            throw ProblemTypes.RolloutConflict.With($"No wave of '{plan.Name}' serves yet; there is nothing to roll back.");
        }

        EndpointCatalog.RequireManage(caller, endpoint);
        var all = await AllDepartmentsAsync(cancellationToken);
        var index = plan.Served - 1;
        var wave = plan.Waves[index];
        var now = time.GetUtcNow();
        var routing = WaveRouting.TakeBack(endpoint.Routing, wave.IsEveryone ? null : plan.DepartmentsOf(index, all), now);
        var after = plan with { Served = index, ServedAt = plan.ServedAt.RemoveAt(index), UpdatedAt = now, Generation = plan.Generation + 1 };
        var audit = AuditEntry.Create(now, caller, "rollout.rollback", Subject(plan.Name), plan, after);
        return new RolloutStep(plan, after, audit, EndpointChangeFor(caller, endpoint, routing, now), null, $"wave {index + 1} ({wave}) taken back");
    }

    /// <summary>Stores a planned step (plan and routing in one transaction); throws conflict when either changed meanwhile.</summary>
    public Task CommitAsync(RolloutStep step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        return CommitAsync(step.Before, step.After, step.Audit, step.EndpointChange, cancellationToken);
    }

    /// <summary><c>rollout/{name}</c>.</summary>
    public static string Subject(string name) => $"rollout/{name}";

    /// <summary>Parses a soak such as 24h, 30m or 0s.</summary>
    public static TimeSpan ParseSoak(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text is "0" or "0s" or "0m" or "0h")
        {
            return TimeSpan.Zero;
        }

        return WindowSetting.Parse(text) is { Seconds: { } seconds } && seconds <= 365L * 86400
            ? TimeSpan.FromSeconds(seconds)
            : throw ProblemTypes.ValidationFailed.With($"--soak must be a period such as 24h, 7d, 30m or 0s; got '{ResourceName.Printable(text)}'.");
    }

    private async Task CommitAsync(RolloutPlan before, RolloutPlan after, AuditEntry audit, EndpointChange? endpointChange, CancellationToken cancellationToken)
    {
        if (!await store.TryUpdateAsync(after, before.Generation, audit, endpointChange, cancellationToken))
        {
            throw ProblemTypes.Conflict.With($"The plan '{before.Name}' or its endpoint was changed by someone else meanwhile; look at it again and retry.");
        }
    }

    private static EndpointChange EndpointChangeFor(Principal caller, Endpoint endpoint, RoutingChange routing, DateTimeOffset now)
    {
        if (!routing.Succeeded)
        {
            throw (routing.Error == RoutingError.Invalid ? ProblemTypes.ValidationFailed : ProblemTypes.RolloutConflict).With(
                $"The endpoint '{endpoint.Name}' cannot take this wave: {routing.Message}");
        }

        var after = endpoint with { Routing = routing.Table!, Generation = endpoint.Generation + 1, UpdatedAt = now };
        return new EndpointChange(endpoint, after, AuditEntry.Create(now, caller, "endpoint.wave", AuditSubjects.Endpoint(endpoint.Name), endpoint, after), routing.Message);
    }

    private async Task<ImmutableArray<Wave>> ParseWavesAsync(IReadOnlyList<string> waves, CancellationToken cancellationToken)
    {
        if (waves.Count == 0)
        {
            throw ProblemTypes.ValidationFailed.With("A plan needs at least one wave, e.g. --wave risk --wave retail-banking,operations --wave '*'.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = ImmutableArray.CreateBuilder<Wave>();
        for (var i = 0; i < waves.Count; i++)
        {
            var names = waves[i].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (names.Length == 0)
            {
                throw ProblemTypes.ValidationFailed.With($"Wave {i + 1} names no department.");
            }

            if (names.Contains(Wave.Everyone))
            {
                if (names.Length > 1 || i != waves.Count - 1)
                {
                    throw ProblemTypes.ValidationFailed.With("'*' (the rest of the organisation) must be a wave of its own, and the last one.");
                }

                result.Add(new Wave([Wave.Everyone]));
                continue;
            }

            var wave = ImmutableArray.CreateBuilder<string>();
            foreach (var name in names)
            {
                ResourceName.Require("department", name);
                var department = await departments.FindAsync(name, cancellationToken)
                    ?? throw ProblemTypes.NotFound.With($"There is no department '{name}' (wave {i + 1}). Create it with `escala departments create {name}`.");
                if (!seen.Add(department.Name))
                {
                    throw ProblemTypes.ValidationFailed.With($"The department '{department.Name}' is listed twice in the waves; each department joins in one wave.");
                }

                wave.Add(department.Name);
            }

            result.Add(new Wave(wave.ToImmutable()));
        }

        return result.ToImmutable();
    }

    private async Task<IReadOnlyList<string>> AllDepartmentsAsync(CancellationToken cancellationToken) =>
        [.. (await departments.ListAsync(cancellationToken)).Select(d => d.Name)];
}

/// <summary>A planned advance or rollback: the plan before and after, its audit entry, the endpoint change and the gates judged.</summary>
public sealed record RolloutStep(RolloutPlan Before, RolloutPlan After, AuditEntry Audit, EndpointChange EndpointChange, WaveGateReport? Gates, string Message);

using System.Text.Json;
using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Departments;
using Escala.Core.Naming;
using Escala.Core.Problems;
using Escala.Core.Routing;

namespace Escala.Core.Endpoints;

/// <summary>A new endpoint.</summary>
public sealed record EndpointDraft(string Name, string? Department = null, string? Description = null, EndpointSettings? Settings = null);

/// <summary>
/// A change of settings; null fields stay as they are (<see cref="ClearDefaultAnswer"/> removes the default answer,
/// <see cref="ClearStageRules"/> returns to the server's stage rules).
/// </summary>
public sealed record SettingsChange(
    int? DeadlineMs = null,
    JsonElement? DefaultAnswer = null,
    bool ClearDefaultAnswer = false,
    double? LogSampleRate = null,
    string? SubjectField = null,
    long? MemoryBudgetBytes = null,
    StageRules? StageRules = null,
    bool ClearStageRules = false);

/// <summary>
/// The rules for endpoints: valid names and settings, who may change one, and what deploy, promote,
/// rollback and timer advances do to its routing table, each planned as an audited
/// <see cref="EndpointChange"/>. Refusals are problem exceptions that say what to do instead.
/// </summary>
public sealed class EndpointCatalog(IEndpointStore store, IDepartmentStore departments, TimeProvider time)
{
    /// <summary>The actor recorded for changes the gateway makes by itself (canary timers).</summary>
    public static readonly Principal Timer = new("system:canary-timer", "canary timer", Role.Operator, []);

    /// <summary>The endpoint; throws not-found.</summary>
    public async Task<Endpoint> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        ResourceName.Require("endpoint", name);
        return await store.FindAsync(name, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no endpoint '{name}'. Create it with `escala endpoints create {name}`.");
    }

    /// <summary>All endpoints.</summary>
    public Task<IReadOnlyList<Endpoint>> ListAsync(CancellationToken cancellationToken = default) => store.ListAsync(cancellationToken);

    /// <summary>Creates an endpoint with nothing deployed; throws already-exists when the name is taken.</summary>
    public async Task<Endpoint> CreateAsync(Principal caller, EndpointDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(draft);
        ResourceName.Require("endpoint", draft.Name);
        if (draft.Department is not null)
        {
            await RequireDepartmentAsync(draft.Department, cancellationToken);
        }

        if (draft.Settings?.StageRules is not null)
        {
            RequireRulesAdmin(caller);
        }

        if (!caller.MayActFor(draft.Department))
        {
            throw ProblemTypes.DepartmentScope.With(draft.Department is null
                ? "Your key is scoped to departments; name one of them as the endpoint's department (an organisation-wide endpoint needs an organisation-wide key)."
                : $"Your key is not scoped to '{draft.Department}', so it cannot create an endpoint that department owns.");
        }

        var now = time.GetUtcNow();
        var endpoint = new Endpoint(
            draft.Name,
            draft.Department,
            FreeText.Optional("description", draft.Description, 500),
            RoutingTable.Empty,
            Validate(draft.Settings ?? EndpointSettings.Defaults),
            1,
            now,
            caller.AuditName,
            now);
        var audit = AuditEntry.Create<Endpoint>(now, caller, "endpoint.create", AuditSubjects.Endpoint(endpoint.Name), null, endpoint);
        if (!await store.TryAddAsync(endpoint, audit, cancellationToken))
        {
            throw ProblemTypes.AlreadyExists.With($"The endpoint '{draft.Name}' already exists; deploy to it with `escala deploy {draft.Name} MODEL:VERSION`.");
        }

        return endpoint;
    }

    /// <summary>Plans putting a version into service; validates the department it is scoped to.</summary>
    public async Task<EndpointChange> PlanDeployAsync(Principal caller, Endpoint endpoint, Deployment deployment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        RequireManage(caller, endpoint);
        if (deployment.Department is { } department)
        {
            await RequireDepartmentAsync(department, cancellationToken);
        }

        var now = time.GetUtcNow();
        return Plan(caller, endpoint, "endpoint.deploy", endpoint.Routing.Deploy(deployment, now), now);
    }

    /// <summary>Plans moving a rollout one step forward.</summary>
    public EndpointChange PlanPromote(Principal caller, Endpoint endpoint, string? department, string? to)
    {
        RequireManage(caller, endpoint);
        var now = time.GetUtcNow();
        return Plan(caller, endpoint, "endpoint.promote", endpoint.Routing.Promote(department, to, now), now);
    }

    /// <summary>Plans returning traffic to the version that served before the current rollout.</summary>
    public EndpointChange PlanRollback(Principal caller, Endpoint endpoint, string? department)
    {
        RequireManage(caller, endpoint);
        var now = time.GetUtcNow();
        return Plan(caller, endpoint, "endpoint.rollback", endpoint.Routing.Rollback(department, now), now);
    }

    /// <summary>Plans setting or clearing the fallback version.</summary>
    public EndpointChange PlanFallback(Principal caller, Endpoint endpoint, ServingTarget? fallback)
    {
        RequireManage(caller, endpoint);
        var now = time.GetUtcNow();
        return Plan(caller, endpoint, "endpoint.fallback", endpoint.Routing.WithFallback(fallback), now);
    }

    /// <summary>Plans a change of settings.</summary>
    public EndpointChange PlanSettings(Principal caller, Endpoint endpoint, SettingsChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        RequireManage(caller, endpoint);
        if (change.StageRules is not null || change.ClearStageRules)
        {
            RequireRulesAdmin(caller);
        }

        var current = endpoint.Settings;
        var settings = Validate(current with
        {
            DeadlineMs = change.DeadlineMs ?? current.DeadlineMs,
            DefaultAnswer = change.ClearDefaultAnswer ? null : change.DefaultAnswer ?? current.DefaultAnswer,
            LogSampleRate = change.LogSampleRate ?? current.LogSampleRate,
            SubjectField = change.SubjectField ?? current.SubjectField,
            MemoryBudgetBytes = change.MemoryBudgetBytes ?? current.MemoryBudgetBytes,
            StageRules = change.ClearStageRules ? null : change.StageRules ?? current.StageRules,
        });
        var now = time.GetUtcNow();
        var after = endpoint with { Settings = settings, Generation = endpoint.Generation + 1, UpdatedAt = now };
        return new EndpointChange(endpoint, after,
            AuditEntry.Create(now, caller, "endpoint.settings", AuditSubjects.Endpoint(endpoint.Name), endpoint, after),
            "settings changed");
    }

    /// <summary>Plans the timer-driven canary steps due now, or returns null when none is due.</summary>
    public EndpointChange? PlanAdvance(Endpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var now = time.GetUtcNow();
        var (table, moved) = endpoint.Routing.AdvanceDue(now);
        if (moved.Count == 0)
        {
            return null;
        }

        var after = endpoint with { Routing = table, Generation = endpoint.Generation + 1, UpdatedAt = now };
        return new EndpointChange(endpoint, after,
            AuditEntry.Create(now, Timer, "endpoint.advance", AuditSubjects.Endpoint(endpoint.Name), endpoint, after),
            string.Join("; ", moved));
    }

    /// <summary>Stores a planned change; throws conflict when the endpoint changed since it was planned.</summary>
    public async Task CommitAsync(EndpointChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!await store.TryUpdateAsync(change.After, change.Before.Generation, change.Audit, cancellationToken))
        {
            throw ProblemTypes.Conflict.With(
                $"The endpoint '{change.Before.Name}' was changed by someone else while this change was prepared; look at it again and retry.");
        }
    }

    /// <summary>Throws department-scope unless the caller may manage <paramref name="endpoint"/>.</summary>
    public static void RequireManage(Principal caller, Endpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!caller.MayActFor(endpoint.Department))
        {
            throw ProblemTypes.DepartmentScope.With(endpoint.Department is null
                ? $"The endpoint '{endpoint.Name}' belongs to the whole organisation; only an organisation-wide key can change it."
                : $"The endpoint '{endpoint.Name}' belongs to '{endpoint.Department}', which your key is not scoped to.");
        }
    }

    // Stage rules decide what approval means on the data plane: an operator who could relax them would
    // bypass four-eyes, so they are an admin's decision (and audited with the settings).
    private static void RequireRulesAdmin(Principal caller)
    {
        if (!caller.HasRole(Role.Admin))
        {
            throw ProblemTypes.InsufficientRole.With(
                $"An endpoint's stage rules decide which approved stages may serve; changing them needs the admin role, and the key '{caller.Name}' has the {caller.Role.ToName()} role.");
        }
    }

    /// <summary>Checks settings; returns them or throws validation-failed naming the setting.</summary>
    public static EndpointSettings Validate(EndpointSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.DeadlineMs is { } deadline && deadline is < 1 or > EndpointSettings.MaxDeadlineMs)
        {
            throw ProblemTypes.ValidationFailed.With($"The deadline is {deadline} ms; it must be between 1 and {EndpointSettings.MaxDeadlineMs} ms.");
        }

        if (settings.MemoryBudgetBytes is { } budget && budget is < EndpointSettings.MinMemoryBudgetBytes or > EndpointSettings.MaxMemoryBudgetBytes)
        {
            throw ProblemTypes.ValidationFailed.With(
                $"The memory budget is {budget} bytes; it must be between {EndpointSettings.MinMemoryBudgetBytes} (1 MiB) and {EndpointSettings.MaxMemoryBudgetBytes} (16 GiB) bytes.");
        }

        if (!double.IsFinite(settings.LogSampleRate) || settings.LogSampleRate is < 0 or > 1)
        {
            throw ProblemTypes.ValidationFailed.With($"The log sample rate is {settings.LogSampleRate}; it must be between 0 (log nothing) and 1 (log every request).");
        }

        if (settings.StageRules is { } rules && (!Enum.IsDefined(rules.Production) || !Enum.IsDefined(rules.Staging) || !Enum.IsDefined(rules.None) || !Enum.IsDefined(rules.Archived)))
        {
            throw ProblemTypes.ValidationFailed.With("Each stage rule is one of off, shadow, partial or full, e.g. {\"production\": \"full\", \"staging\": \"partial\", \"none\": \"shadow\"}.");
        }

        if (settings.SubjectField is { } field && (field.Length is 0 or > 128 || field.Any(TextSafety.IsUnsafe)))
        {
            throw ProblemTypes.ValidationFailed.With("The subject field must be 1-128 characters without control characters.");
        }

        if (settings.DefaultAnswer is { } answer)
        {
            if (answer.ValueKind != JsonValueKind.Object || !answer.EnumerateObject().Any())
            {
                throw ProblemTypes.ValidationFailed.With(
                    "The default answer must be a JSON object with one row of outputs by name, e.g. {\"label\": 0, \"probability\": [1, 0]}.");
            }

            if (answer.GetRawText().Length > 64 * 1024)
            {
                throw ProblemTypes.ValidationFailed.With("The default answer is larger than 64 KB; it is one row of outputs.");
            }
        }

        return settings with { DefaultAnswer = settings.DefaultAnswer?.Clone() };
    }

    private static EndpointChange Plan(Principal caller, Endpoint endpoint, string action, RoutingChange change, DateTimeOffset now)
    {
        if (!change.Succeeded)
        {
            var type = change.Error == RoutingError.Invalid ? ProblemTypes.ValidationFailed : ProblemTypes.RolloutConflict;
            throw type.With(change.Message);
        }

        var after = endpoint with { Routing = change.Table!, Generation = endpoint.Generation + 1, UpdatedAt = now };
        return new EndpointChange(endpoint, after,
            AuditEntry.Create(now, caller, action, AuditSubjects.Endpoint(endpoint.Name), endpoint, after),
            change.Message);
    }

    private async Task RequireDepartmentAsync(string department, CancellationToken cancellationToken)
    {
        ResourceName.Require("department", department);
        if (await departments.FindAsync(department, cancellationToken) is null)
        {
            throw ProblemTypes.NotFound.With($"There is no department '{department}'. Create it with `escala departments create {department}`.");
        }
    }
}

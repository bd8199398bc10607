using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Escala.Core.Rollouts;

/// <summary>One wave: the departments it serves, or <c>*</c> alone for every department not in an earlier wave.</summary>
public sealed record Wave(ImmutableArray<string> Departments)
{
    /// <summary>The token for "the rest of the organisation".</summary>
    public const string Everyone = "*";

    /// <summary>True for the <c>*</c> wave.</summary>
    [JsonIgnore]
    public bool IsEveryone => Departments.Length == 1 && Departments[0] == Everyone;

    /// <summary>Comma-separated, as typed.</summary>
    public override string ToString() => string.Join(",", Departments);
}

/// <summary>A readiness item ticked for a department, by whom and with what evidence.</summary>
public sealed record ChecklistTick(string Department, string Item, string By, string? Note, DateTimeOffset At);

/// <summary>
/// A rollout plan: one version of a use case's endpoint taken to the organisation in waves of departments. It
/// starts with no wave served; each advance serves the next wave (through the endpoint's department rules) once
/// that wave's departments are ready and the KPIs of the waves already served pass their gates.
/// </summary>
/// <param name="Name">The plan's name.</param>
/// <param name="UseCase">The use case it rolls out.</param>
/// <param name="Endpoint">The endpoint whose department rules it sets.</param>
/// <param name="Target">The version it deploys, MODEL:VERSION.</param>
/// <param name="Waves">The waves in order.</param>
/// <param name="Soak">How long a served wave runs before the next may be served.</param>
/// <param name="Gates">KPI gates for every wave after the first.</param>
/// <param name="Auto">Whether the scheduler advances the plan by itself once every gate holds.</param>
/// <param name="Served">How many waves serve now (0 = none, Waves.Length = finished).</param>
/// <param name="ServedAt">When each served wave was served.</param>
/// <param name="Checklist">Every ticked readiness item.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">Who created it.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="Generation">Incremented by every change (optimistic concurrency).</param>
public sealed record RolloutPlan(
    string Name,
    string UseCase,
    string Endpoint,
    string Target,
    ImmutableArray<Wave> Waves,
    TimeSpan Soak,
    ImmutableArray<GateSpec> Gates,
    bool Auto,
    int Served,
    ImmutableArray<DateTimeOffset> ServedAt,
    ImmutableArray<ChecklistTick> Checklist,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    long Generation)
{
    /// <summary>True when every wave serves.</summary>
    [JsonIgnore]
    public bool Finished => Served >= Waves.Length;

    /// <summary>The departments of every explicitly named wave.</summary>
    [JsonIgnore]
    public IEnumerable<string> NamedDepartments => Waves.Where(w => !w.IsEveryone).SelectMany(w => w.Departments);

    /// <summary>The departments of wave <paramref name="index"/>; the <c>*</c> wave resolves to every department not named earlier.</summary>
    public IReadOnlyList<string> DepartmentsOf(int index, IReadOnlyList<string> allDepartments)
    {
        var wave = Waves[index];
        if (!wave.IsEveryone)
        {
            return wave.Departments;
        }

        var named = NamedDepartments.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. allDepartments.Where(d => !named.Contains(d))];
    }

    /// <summary>The departments of every served wave.</summary>
    public IReadOnlyList<string> ServedDepartments(IReadOnlyList<string> allDepartments) =>
        [.. Enumerable.Range(0, Served).SelectMany(i => DepartmentsOf(i, allDepartments))];
}

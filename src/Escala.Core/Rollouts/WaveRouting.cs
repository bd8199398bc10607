using Escala.Core.Routing;

namespace Escala.Core.Rollouts;

/// <summary>
/// What serving or taking back a wave does to an endpoint's routing table: one single-version department rule per
/// department (the <c>*</c> wave sets the endpoint's default instead), all in one new table so the whole wave
/// changes in one atomic swap, or not at all.
/// </summary>
public static class WaveRouting
{
    /// <summary>The table with <paramref name="target"/> serving <paramref name="departments"/> (null = everyone by default).</summary>
    public static RoutingChange Serve(RoutingTable table, IReadOnlyList<string>? departments, ServingTarget target, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(target);
        if (departments is null)
        {
            return table.Default?.Live == target.Key
                ? RoutingChange.Applied(table, $"{target.Key} already serves all departments")
                : table.Deploy(new Deployment(target, Strategy.Single), now);
        }

        var current = table;
        var messages = new List<string>();
        foreach (var department in departments)
        {
            if (current.EffectivePolicy(department)?.Live == target.Key && current.OwnPolicy(department) is not null)
            {
                continue;
            }

            var change = current.Deploy(new Deployment(target, Strategy.Single, department), now);
            if (!change.Succeeded)
            {
                return change;
            }

            current = change.Table!;
            messages.Add(department);
        }

        return RoutingChange.Applied(current, $"{target.Key} serves {string.Join(", ", departments)}");
    }

    /// <summary>The table without the wave: each department's rule rolled back (removed when nothing served before), or the default cleared for <c>*</c>.</summary>
    public static RoutingChange TakeBack(RoutingTable table, IReadOnlyList<string>? departments, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (departments is null)
        {
            if (table.Default is SinglePolicy { Previous: null })
            {
                return RoutingChange.Applied(table with { Default = null }, "the default no longer serves every department");
            }

            return table.Default is null ? RoutingChange.Applied(table, "nothing served every department") : table.Rollback(null, now);
        }

        var current = table;
        foreach (var department in departments)
        {
            if (current.OwnPolicy(department) is null)
            {
                continue;
            }

            var change = current.Rollback(department, now);
            if (!change.Succeeded)
            {
                return change;
            }

            current = change.Table!;
        }

        return RoutingChange.Applied(current, $"taken back from {string.Join(", ", departments)}");
    }
}

using System.Collections.Frozen;

namespace Escala.Core.Rollouts;

/// <summary>
/// The seven items of the pilot-to-production readiness checklist that every department of a wave ticks before
/// the wave is served. The names are the contract of <c>escala rollouts check</c>.
/// </summary>
public static class ReadinessItems
{
    /// <summary>Every item in checklist order, with what ticking it asserts.</summary>
    public static readonly IReadOnlyList<(string Name, string Meaning)> All =
    [
        ("budget", "a budget model that works at full scale"),
        ("champions", "champions identified in the department"),
        ("use-cases", "use cases developed for the department's teams"),
        ("training", "a training approach that scales beyond workshops"),
        ("support", "a sustainable support model: technical support, adoption support, content and governance owners"),
        ("sponsorship", "executive sponsorship kept"),
        ("success-metrics", "success metrics that keep tracking impact"),
    ];

    private static readonly FrozenSet<string> Names = All.Select(i => i.Name).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>True for one of the seven names.</summary>
    public static bool IsKnown(string item) => Names.Contains(item);

    /// <summary>The names, comma-separated, for messages.</summary>
    public static string List => string.Join(", ", All.Select(i => i.Name));
}

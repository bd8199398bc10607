namespace Escala.Core.Rollouts;

/// <summary>A new plan as typed: waves as comma-separated department lists, soak and gates as text.</summary>
public sealed record RolloutDraft(
    string Name,
    string UseCase,
    string Endpoint,
    string Version,
    IReadOnlyList<string> Waves,
    string? Soak = null,
    IReadOnlyList<string>? Gates = null,
    bool Auto = false);

namespace Escala.Core.Departments;

/// <summary>
/// A department of the organisation: the unit keys are scoped to, models are owned by, traffic is
/// routed by and adoption is measured against (headcount is the denominator of "depth").
/// </summary>
public sealed record Department(
    string Name,
    string? DisplayName,
    int Headcount,
    string? Champion,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

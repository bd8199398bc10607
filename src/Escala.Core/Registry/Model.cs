namespace Escala.Core.Registry;

/// <summary>
/// A registered model: a name that versions accumulate under, the department that owns it and
/// whether promotion to production needs a second person's approval (four-eyes).
/// </summary>
public sealed record Model(
    string Name,
    string? Description,
    string? Department,
    bool RequireApproval,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt);

/// <summary>A model with the numbers a listing shows.</summary>
public sealed record ModelSummary(Model Model, int VersionCount, int? LatestVersion, int? ProductionVersion);

namespace Escala.Core.Registry;

/// <summary>Where a model version is in its life. Stored by name; the numbers are not meaningful.</summary>
public enum Stage
{
    /// <summary>Just registered.</summary>
    None,
    /// <summary>Being evaluated before production.</summary>
    Staging,
    /// <summary>The model's production version (at most one per model).</summary>
    Production,
    /// <summary>Retired; kept for lineage and audit.</summary>
    Archived,
}

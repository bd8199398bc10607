namespace Escala.Core.Fairness;

/// <summary>Fairness of a version measured on a holdout table: one report per sensitive attribute (and their combination).</summary>
/// <param name="Model">The model.</param>
/// <param name="Version">The version.</param>
/// <param name="Label">The label column.</param>
/// <param name="Positive">The label value taken as the positive class.</param>
/// <param name="Rows">Rows scored.</param>
/// <param name="Reports">Per attribute.</param>
/// <param name="CreatedAt">When it was computed.</param>
/// <param name="CreatedBy">Who asked.</param>
public sealed record FairnessEvaluation(
    string Model, int Version, string Label, string Positive, int Rows, IReadOnlyList<FairnessReport> Reports, DateTimeOffset CreatedAt, string CreatedBy)
{
    /// <summary>What the audit log records: attributes and headline disparities, never rows.</summary>
    public object Summary() => new
    {
        Rows,
        Label,
        Positive,
        Attributes = Reports.Select(r => new
        {
            r.Attribute,
            Groups = r.Groups.Count,
            DemographicParityDifference = r.DemographicParityDifference.Value,
            DisparateImpactRatio = r.DisparateImpactRatio.Value,
            r.FourFifthsViolated,
        }).ToArray(),
    };
}

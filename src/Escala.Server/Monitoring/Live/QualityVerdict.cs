namespace Escala.Server.Monitoring.Live;

/// <summary>The data-quality decision about a request's inputs.</summary>
/// <param name="Refused">True when the endpoint's policy is reject and a row has a problem.</param>
/// <param name="Detail">What is wrong, naming the field (and the row of a multi-row request).</param>
/// <param name="Field">The field.</param>
public readonly record struct QualityVerdict(bool Refused, string? Detail, string? Field)
{
    /// <summary>The inputs may run.</summary>
    public static QualityVerdict Accept => default;
}

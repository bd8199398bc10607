namespace Escala.Core.Monitoring.Quality;

/// <summary>What is wrong with one field of a request row.</summary>
public enum QualityProblem
{
    /// <summary>The value is missing where the baseline never had a missing value (or the policy flags every missing value).</summary>
    Missing,

    /// <summary>Text given for a numeric feature.</summary>
    WrongType,

    /// <summary>A number outside the seen range widened by the tolerance, or infinite.</summary>
    OutOfRange,

    /// <summary>A category the baseline never saw.</summary>
    UnseenCategory,
}

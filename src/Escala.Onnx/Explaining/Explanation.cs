namespace Escala.Onnx.Explaining;

/// <summary>How attributions were computed.</summary>
public enum ExplanationMethod
{
    /// <summary>Exact interventional SHAP of a linear model's margin: φᵢ = Σ wⱼ·(x'ⱼ − mean of the background's x'ⱼ) over the columns j feature i feeds.</summary>
    LinearExact,

    /// <summary>Exact interventional TreeSHAP of a tree ensemble's margin against a background sample.</summary>
    TreeInterventional,

    /// <summary>Exact path-dependent TreeSHAP (Lundberg et al. 2018) from the node cover the model carries (<c>nodes_hitrates</c>).</summary>
    TreePathDependent,

    /// <summary>A sampling estimate of interventional Shapley values of the model's outputs (permutation sampling), with standard errors.</summary>
    SamplingApproximate,
}

/// <summary>Wire names of <see cref="ExplanationMethod"/>.</summary>
public static class ExplanationMethods
{
    /// <summary>The stable name of a method.</summary>
    public static string Name(ExplanationMethod method) => method switch
    {
        ExplanationMethod.LinearExact => "linear-exact",
        ExplanationMethod.TreeInterventional => "tree-interventional",
        ExplanationMethod.TreePathDependent => "tree-path-dependent",
        _ => "sampling-approximate",
    };

    /// <summary>Parses a method name; null when it is not one.</summary>
    public static ExplanationMethod? Parse(string? name) => name switch
    {
        "linear-exact" => ExplanationMethod.LinearExact,
        "tree-interventional" => ExplanationMethod.TreeInterventional,
        "tree-path-dependent" => ExplanationMethod.TreePathDependent,
        "sampling-approximate" => ExplanationMethod.SamplingApproximate,
        _ => null,
    };
}

/// <summary>
/// The attributions of one explained quantity (a class's margin, a regression target, or for the sampling method
/// one column of an output) for every explained row.
/// </summary>
/// <param name="Output">The model output (or, for exact methods, the scoring node's output) this quantity belongs to.</param>
/// <param name="Class">The class label for a classifier's class, else null.</param>
/// <param name="Column">The column of <paramref name="Output"/> (the target or class index).</param>
/// <param name="ExpectedValue">The quantity's mean over the background (interventional) or under the trees' cover (path-dependent).</param>
/// <param name="Values">Rows × features attributions, row-major.</param>
/// <param name="Predicted">The quantity for each row: <paramref name="ExpectedValue"/> + Σ attributions (exactly, for exact methods).</param>
/// <param name="StandardErrors">Rows × features standard errors of the sampling estimate; null for exact methods.</param>
public sealed record ExplainedQuantity(
    string Output, string? Class, int Column, double ExpectedValue, double[] Values, double[] Predicted, double[]? StandardErrors);

/// <summary>Attributions of a batch of rows to the model's input features.</summary>
/// <param name="Method">How they were computed.</param>
/// <param name="Space"><c>margin</c> (raw scores before the post transform) for exact methods, <c>output</c> for sampling.</param>
/// <param name="Features">The explained features: every column of every model input, in input order.</param>
/// <param name="Rows">Number of explained rows.</param>
/// <param name="Quantities">One entry per explained class or target.</param>
/// <param name="BackgroundRows">Rows of background the expectation is taken over (0 for path-dependent).</param>
public sealed record Explanation(
    ExplanationMethod Method, string Space, IReadOnlyList<string> Features, int Rows, IReadOnlyList<ExplainedQuantity> Quantities, int BackgroundRows)
{
    /// <summary>Whether the values are exact (not a sampling estimate).</summary>
    public bool IsExact => Method != ExplanationMethod.SamplingApproximate;

    /// <summary>Mean absolute attribution of each feature over the rows and quantities (global importance).</summary>
    public double[] MeanAbsolute()
    {
        var f = Features.Count;
        var totals = new double[f];
        if (Rows == 0 || Quantities.Count == 0)
        {
            return totals;
        }

        foreach (var q in Quantities)
        {
            for (var i = 0; i < q.Values.Length; i++)
            {
                totals[i % f] += Math.Abs(q.Values[i]);
            }
        }

        for (var j = 0; j < f; j++)
        {
            totals[j] /= (double)Rows * Quantities.Count;
        }

        return totals;
    }
}

/// <summary>Options of an explanation.</summary>
public sealed record ExplainOptions
{
    /// <summary>Force a method (it must apply to the model); null picks the best exact one.</summary>
    public ExplanationMethod? Method { get; init; }

    /// <summary>Permutations per row for the sampling method (at least 2).</summary>
    public int Permutations { get; init; } = 200;

    /// <summary>Seed of the sampling method, so the same request gives the same estimate.</summary>
    public int Seed { get; init; } = 12;
}

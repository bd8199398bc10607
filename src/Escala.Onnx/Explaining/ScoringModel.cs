using System.Globalization;
using Escala.Onnx.Protobuf;

namespace Escala.Onnx.Explaining;

/// <summary>One explained quantity of a scoring node: a class's margin or a target's value.</summary>
/// <param name="Output">The node output the quantity is a column of.</param>
/// <param name="Class">The class label (classifiers), else null.</param>
/// <param name="Column">The target or class index.</param>
internal sealed record ScoredQuantity(string Output, string? Class, int Column);

/// <summary>
/// The node of a model that turns the feature vector into scores, when it is one the exact explainers understand:
/// a tree ensemble or a linear model (LinearClassifier, LinearRegressor, or Gemm with constant weights). Everything
/// before it is preprocessing (traced by <see cref="ColumnProvenance"/>); everything after it (probabilities, ZipMap,
/// label) is a function of its margins, which is what is explained.
/// </summary>
internal abstract class ScoringModel(NodeProto node, IReadOnlyList<ScoredQuantity> quantities)
{
    /// <summary>The scoring node.</summary>
    public NodeProto Node { get; } = node;

    /// <summary>The value the node scores (its feature vector).</summary>
    public string FeatureValue => Node.Input[0];

    /// <summary>The quantities explained, in order.</summary>
    public IReadOnlyList<ScoredQuantity> Quantities { get; } = quantities;

    /// <summary>
    /// Finds the one scoring node of <paramref name="graph"/>; null (with the reason) when there is none, several, or
    /// one whose margin is not a sum over trees or a linear form.
    /// </summary>
    public static ScoringModel? Find(GraphProto graph, out string reason)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var candidates = graph.Node.Where(IsCandidate).ToList();
        if (candidates.Count != 1)
        {
            reason = candidates.Count == 0
                ? "the model has no tree ensemble or linear scoring node"
                : $"the model has {candidates.Count} scoring nodes ({string.Join(", ", candidates.Select(n => n.OpType))}); the exact explainers need exactly one";
            return null;
        }

        var node = candidates[0];
        try
        {
            return node.OpType switch
            {
                "LinearClassifier" or "LinearRegressor" or "Gemm" => LinearScoring.Read(node, graph, out reason),
                _ => TreeScoring.Read(node, out reason),
            };
        }
        catch (FormatException e)
        {
            reason = $"its {node.OpType} node cannot be read: {e.Message}";
            return null;
        }
    }

    private static bool IsCandidate(NodeProto node)
    {
        var domain = OpsetDomains.Normalize(node.Domain);
        return domain == OpsetDomains.Ml
            ? node.OpType is "TreeEnsembleClassifier" or "TreeEnsembleRegressor" or "TreeEnsemble" or "LinearClassifier" or "LinearRegressor"
            : domain == OpsetDomains.Default && node.OpType == "Gemm";
    }

    /// <summary>The class labels of a classifier node as text.</summary>
    protected static string[] ClassLabels(NodeAttributeReader attributes, string intsName, string stringsName)
    {
        var ints = attributes.Ints(intsName);
        return ints.Length > 0 ? [.. ints.Select(i => i.ToString(CultureInfo.InvariantCulture))] : attributes.Strings(stringsName);
    }
}

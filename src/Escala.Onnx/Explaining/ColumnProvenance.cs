using Escala.Onnx.Protobuf;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Explaining;

/// <summary>
/// Which input feature each column of the scoring node's feature vector comes from, traced through the
/// preprocessing nodes in front of it. Interventional Shapley values over the input features equal those over the
/// feature vector with each feature's columns moved together, as long as every column depends on one feature at most:
/// true of per-column transforms (Cast, Scaler, Imputer, Binarizer), of OneHotEncoder (one feature, several columns)
/// and of regrouping (Concat, FeatureVectorizer, Reshape, ArrayFeatureExtractor). A column that mixes features
/// (Normalizer in front of the model, or an operator not listed) makes the trace fail, and the exact explainers do not apply.
/// </summary>
internal static class ColumnProvenance
{
    /// <summary>A column that depends on no feature.</summary>
    public const int Constant = -1;

    /// <summary>
    /// The feature of each column of <paramref name="target"/>, given the width of each graph input (feature indices
    /// are numbered input by input); null with the reason when a column mixes features or an operator is not understood.
    /// </summary>
    public static int[]? Trace(GraphProto graph, IReadOnlyList<(string Name, int[] RowShape)> inputs, string target, out string reason)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(inputs);
        var known = new Dictionary<string, Traced>(StringComparer.Ordinal);
        var offset = 0;
        foreach (var (name, shape) in inputs)
        {
            var width = shape.Aggregate(1, (a, d) => a * d);
            known[name] = new Traced([.. Enumerable.Range(offset, width)], shape);
            offset += width;
        }

        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            if (known.ContainsKey(target))
            {
                break;
            }

            // A node downstream of an untraceable value inherits its reason; one that reads no traced value is skipped.
            var upstream = node.Input.FirstOrDefault(failures.ContainsKey);
            string? why = upstream is null ? null : failures[upstream];
            Traced? result = null;
            if (why is null)
            {
                if (!node.Input.Any(i => i.Length > 0 && known.ContainsKey(i)))
                {
                    continue;
                }

                result = Propagate(node, known, initializers, out var reason1);
                why = result is null ? reason1 : null;
            }

            foreach (var output in node.Output.Where(o => o.Length > 0))
            {
                if (result is not null && output == node.Output[0])
                {
                    known[output] = result;
                }
                else if (why is not null)
                {
                    failures[output] = why;
                }
            }
        }

        if (known.TryGetValue(target, out var traced))
        {
            reason = "";
            return traced.Columns;
        }

        reason = failures.TryGetValue(target, out var failure) ? failure : $"the feature vector '{target}' cannot be traced back to the model's inputs";
        return null;
    }

    private static Traced? Propagate(NodeProto node, Dictionary<string, Traced> known, Dictionary<string, TensorProto> initializers, out string reason)
    {
        reason = "";
        var domain = OpsetDomains.Normalize(node.Domain);
        var first = known.GetValueOrDefault(node.Input[0]);
        var a = new NodeAttributeReader(node);
        switch (node.OpType)
        {
            case "Cast" or "Identity" or "Scaler" or "Imputer" or "Binarizer" when first is not null:
                return first;
            case "Reshape" or "Flatten" or "Squeeze" or "Unsqueeze" when first is not null:
                // A reshape that keeps the rows keeps each row's values in order; only their shape changes.
                return new Traced(first.Columns, [first.Columns.Length]);
            case "Concat":
            case "FeatureVectorizer" when domain == OpsetDomains.Ml:
                return Join(node, known, initializers, node.OpType == "Concat" ? a.Int("axis", 1) : -1, out reason);
            case "OneHotEncoder" when first is not null:
            {
                var categories = Math.Max(a.Ints("cats_int64s").Length, a.Strings("cats_strings").Length);
                return new Traced([.. first.Columns.SelectMany(f => Enumerable.Repeat(f, categories))], [.. first.RowShape, categories]);
            }

            case "ArrayFeatureExtractor" when first is not null && node.Input.Count > 1 && initializers.TryGetValue(node.Input[1], out var indices):
            {
                var picked = TensorProtoConverter.ToTensor(indices) as OnnxTensor<long>;
                if (picked is null || first.RowShape.Length != 1 || picked.ToArray().Any(i => i < 0 || i >= first.Columns.Length))
                {
                    reason = $"the ArrayFeatureExtractor node '{node.Name}' selects columns outside its input";
                    return null;
                }

                return new Traced([.. picked.ToArray().Select(i => first.Columns[(int)i])], [picked.Length]);
            }

            default:
                reason = node.OpType == "Normalizer"
                    ? "a Normalizer in front of the model mixes every feature into every column"
                    : $"the {OpsetDomains.Display(node.Domain)}.{node.OpType} node '{node.Name}' in front of the model is not a per-feature transform the exact explainers can trace";
                return null;
        }
    }

    private static Traced? Join(NodeProto node, Dictionary<string, Traced> known, Dictionary<string, TensorProto> initializers, long axis, out string reason)
    {
        reason = "";
        var parts = new List<Traced>();
        foreach (var input in node.Input)
        {
            if (known.TryGetValue(input, out var part))
            {
                parts.Add(part);
            }
            else if (initializers.TryGetValue(input, out var constant) && constant.Dims.Count >= 1)
            {
                var dims = constant.Dims.Skip(1).Select(d => (int)d).ToArray();
                parts.Add(new Traced([.. Enumerable.Repeat(Constant, dims.Aggregate(1, (p, d) => p * d))], dims));
            }
            else
            {
                reason = $"the {node.OpType} node '{node.Name}' joins a value that is not traced to the inputs";
                return null;
            }
        }

        // Joining along row axis k keeps each row's values contiguous per part only when the row dims before k are all 1
        // (e.g. one-hot outputs [N, 1, k] joined on axis 2); FeatureVectorizer flattens each part.
        var rank = parts[0].RowShape.Length + 1;
        var at = axis < 0 ? axis + rank : axis;
        if (axis != -1 || node.OpType == "Concat")
        {
            if (at < 1 || parts.Any(p => p.RowShape.Length != rank - 1 || p.RowShape.Take((int)at - 1).Any(d => d != 1)))
            {
                reason = $"the Concat node '{node.Name}' joins along axis {axis}, which interleaves the features of a row";
                return null;
            }
        }

        var columns = parts.SelectMany(p => p.Columns).ToArray();
        var shape = node.OpType == "Concat" ? (int[])parts[0].RowShape.Clone() : [columns.Length];
        if (node.OpType == "Concat")
        {
            shape[(int)at - 1] = parts.Sum(p => p.RowShape[(int)at - 1]);
        }

        return new Traced(columns, shape);
    }

    /// <summary>The feature of each value of one row, and the shape of a row.</summary>
    private sealed record Traced(int[] Columns, int[] RowShape);
}

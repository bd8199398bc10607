using Escala.Onnx.Protobuf;

namespace Escala.Training.Trainers;

/// <summary>
/// Tidies ML.NET's exported graph for serving: its outputs are named <c>Score.output</c> and the like, which callers
/// would have to spell in every request; they become <c>Score</c>, <c>Probability</c>, <c>PredictedLabel</c>. The graph
/// also records the task and classes in its metadata, and Escala as the producer.
/// </summary>
internal static class OnnxExportNames
{
    private const string Suffix = ".output";

    public static byte[] Tidy(byte[] exported, TrainingSpec spec, IReadOnlyList<string> classes)
    {
        var model = ModelProto.Parse(exported);
        var graph = model.Graph ?? throw new TrainingException("the exported model has no graph");
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var output in graph.Output)
        {
            if (output.Name.EndsWith(Suffix, StringComparison.Ordinal))
            {
                renames[output.Name] = output.Name[..^Suffix.Length];
            }
        }

        // Free the short names first: inside the graph ML.NET uses them for intermediate values.
        var taken = new HashSet<string>(graph.Node.SelectMany(n => n.Output).Concat(graph.Input.Select(i => i.Name)), StringComparer.Ordinal);
        foreach (var shortName in renames.Values.Where(taken.Contains).ToArray())
        {
            Rename(graph, shortName, shortName + ".internal");
        }

        foreach (var (from, to) in renames)
        {
            Rename(graph, from, to);
        }

        model.ProducerName = "escala-training";
        model.MetadataProps.Add(new StringStringEntryProto { Key = "escala.task", Value = spec.Task.ToString().ToLowerInvariant() });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "escala.trainer", Value = spec.Trainer.ToString().ToLowerInvariant() });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "escala.label", Value = spec.Label });
        if (classes.Count > 0)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = "escala.classes", Value = string.Join('\n', classes) });
        }

        return model.ToByteArray();
    }

    private static void Rename(GraphProto graph, string from, string to)
    {
        foreach (var node in graph.Node)
        {
            Replace(node.Input, from, to);
            Replace(node.Output, from, to);
        }

        foreach (var value in graph.Output.Concat(graph.ValueInfo).Where(v => v.Name == from))
        {
            value.Name = to;
        }
    }

    private static void Replace(List<string> names, string from, string to)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == from)
            {
                names[i] = to;
            }
        }
    }
}

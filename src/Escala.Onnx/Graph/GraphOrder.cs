using Escala.Onnx.Protobuf;

namespace Escala.Onnx.Graph;

/// <summary>Orders a graph's nodes so every value is produced before it is used; reports missing values and cycles.</summary>
internal static class GraphOrder
{
    /// <summary>
    /// Node indexes in topological order (stable: file order where free). <paramref name="available"/> holds
    /// the names defined before any node runs (inputs and initializers).
    /// </summary>
    public static int[] Sort(GraphProto graph, Func<NodeProto, string, OnnxModelException> fail, ISet<string> available)
    {
        var nodes = graph.Node;
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            foreach (var output in nodes[i].Output)
            {
                if (output.Length == 0)
                {
                    continue;
                }

                if (available.Contains(output) || !producer.TryAdd(output, i))
                {
                    throw fail(nodes[i], $"output '{output}' is defined more than once (a graph input, an initializer or another node already defines it)");
                }
            }
        }

        var pending = new int[nodes.Count];
        var consumers = new List<int>[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            foreach (var input in nodes[i].Input)
            {
                if (input.Length == 0 || available.Contains(input))
                {
                    continue;
                }

                if (!producer.TryGetValue(input, out var p))
                {
                    throw fail(nodes[i], $"input '{input}' is not a graph input, an initializer or any node's output");
                }

                pending[i]++;
                (consumers[p] ??= []).Add(i);
            }
        }

        var order = new int[nodes.Count];
        var count = 0;
        var ready = new PriorityQueue<int, int>();
        for (var i = 0; i < nodes.Count; i++)
        {
            if (pending[i] == 0)
            {
                ready.Enqueue(i, i);
            }
        }

        while (ready.TryDequeue(out var n, out _))
        {
            order[count++] = n;
            if (consumers[n] is null)
            {
                continue;
            }

            foreach (var c in consumers[n])
            {
                if (--pending[c] == 0)
                {
                    ready.Enqueue(c, c);
                }
            }
        }

        if (count < nodes.Count)
        {
            var stuck = Enumerable.Range(0, nodes.Count).Where(i => pending[i] > 0).ToList();
            var names = string.Join(", ", stuck.Take(5).Select(i => string.IsNullOrEmpty(nodes[i].Name) ? $"#{i} {nodes[i].OpType}" : $"'{nodes[i].Name}' ({nodes[i].OpType})"));
            throw new OnnxModelException($"The graph has a cycle: {stuck.Count} node(s) wait on each other, e.g. {names}.");
        }

        return order;
    }
}

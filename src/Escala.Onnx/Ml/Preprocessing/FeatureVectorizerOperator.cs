using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Ml.Preprocessing;

/// <summary>
/// FeatureVectorizer: concatenates its inputs per row into one float matrix. Input i contributes
/// <c>inputdimensions[i]</c> columns: its values per row (everything after the first axis, flattened; a 1-D input is
/// one row), cut or padded with zeros to that width, as ONNX Runtime does. All inputs must have the same row count.
/// </summary>
internal static class FeatureVectorizerOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Ml, "FeatureVectorizer", 1, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        if (node.InputCount == 0)
        {
            throw node.Fail("FeatureVectorizer needs at least one input");
        }

        for (var i = 0; i < node.InputCount; i++)
        {
            node.RequireType(i, FeatureInput.NumericTypes);
        }

        var dims = node.GetInts("inputdimensions") ?? throw node.Fail("required attribute 'inputdimensions' is missing");
        if (dims.Length != node.InputCount)
        {
            throw node.Fail($"inputdimensions has {dims.Length} entries for {node.InputCount} inputs");
        }

        if (dims.Any(d => d < 0) || dims.Sum(d => (decimal)d) > int.MaxValue)
        {
            throw node.Fail("inputdimensions must be non-negative sizes that add up to less than 2^31");
        }

        var widths = dims.Select(d => (int)d).ToArray();
        node.SetOutput(0, ElementType.Float, [FeatureInput.RowsDim(node), widths.Sum()]);
        return new FeatureVectorizerKernel(widths);
    }
}

/// <summary>Copies each input's rows into its column range.</summary>
internal sealed class FeatureVectorizerKernel(int[] widths) : IKernel
{
    private readonly int _total = widths.Sum();

    public void Run(KernelContext context)
    {
        var first = context.InputTensor(0);
        var rows = first.Rank <= 1 ? 1 : first.Dim(0);
        var y = context.Output<float>(0, [rows, _total]).Span;
        var column = 0;
        for (var i = 0; i < widths.Length; i++)
        {
            var x = context.InputTensor(i);
            var xRows = x.Rank <= 1 ? 1 : x.Dim(0);
            if (xRows != rows)
            {
                throw context.Fail($"all inputs must have the same number of rows; input 0 has {rows}, input {i} has {xRows}");
            }

            var data = FeatureInput.As<float>(context, x);
            var perRow = rows == 0 ? 0 : data.Length / rows;
            var copy = Math.Min(perRow, widths[i]);
            for (var r = 0; r < rows; r++)
            {
                var target = y.Slice((r * _total) + column, widths[i]);
                data.Slice(r * perRow, copy).CopyTo(target);
                target[copy..].Clear();
            }

            column += widths[i];
        }
    }
}

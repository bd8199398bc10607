using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Operators.Manipulation;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Reduction;

/// <summary>TopK: the k largest (or smallest) values along an axis and their int64 indices; ties keep the lower index first.</summary>
internal static class TopKOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Default, "TopK", 1, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        var type = node.RequireType(0, TypeDispatch.NumericTypes);
        node.SetOutput(0, type);
        node.SetOutput(1, ElementType.Int64);
        long? k = node.Opset < 10 ? node.GetInt("k") : null;
        var options = new Options(k, node.GetInt("axis", -1), node.Opset < 11 || node.GetInt("largest", 1) != 0);
        return TypeDispatch.Numeric<Factory, IKernel>(type, new Factory(options));
    }

    private sealed record Options(long? K, long Axis, bool Largest);

    private readonly struct Factory(Options options) : INumericFactory<IKernel>
    {
        public IKernel Create<T>()
            where T : unmanaged, INumber<T> => new Kernel<T>(options);
    }

    private sealed class Kernel<T>(Options options) : IKernel
        where T : unmanaged, INumber<T>
    {
        public void Run(KernelContext context)
        {
            var x = context.Input<T>(0);
            var rank = x.Rank;
            var axis = TensorShape.NormalizeAxis(options.Axis, rank);
            var kValues = options.K is { } fixedK ? [fixedK] : IndexValues.Read(context.InputTensor(1));
            if (kValues.Length != 1)
            {
                throw context.Fail($"K must hold one value, it holds {kValues.Length}");
            }

            var kValue = kValues[0];
            var dim = x.Shape[axis];
            if (kValue < 0 || kValue > dim)
            {
                throw context.Fail($"k = {kValue} is out of range for axis {axis} of size {dim}");
            }

            var k = (int)kValue;
            var reduced = new bool[rank];
            reduced[axis] = true;
            var layout = new ReductionLayout<T>(context, x.Span, x.Shape, reduced);

            // Results are computed with the axis innermost, then moved back into place.
            var rows = layout.Rows;
            var values = context.Scratch<T>((long)rows * k);
            var indices = context.Scratch<long>((long)rows * k);
            var order = new int[dim];
            var comparer = new Order<T>(new T[dim], options.Largest);
            for (var r = 0; r < rows; r++)
            {
                var row = layout.Row(r);
                row.CopyTo(comparer.Values);
                for (var j = 0; j < dim; j++)
                {
                    order[j] = j;
                }

                order.AsSpan().Sort(comparer);
                for (var j = 0; j < k; j++)
                {
                    values[(r * k) + j] = row[order[j]];
                    indices[(r * k) + j] = order[j];
                }
            }

            var shape = x.ShapeArray();
            shape[axis] = k;
            var y = context.Output<T>(0, shape);
            var yi = context.Output<long>(1, (int[])shape.Clone());
            if (axis == rank - 1)
            {
                values.CopyTo(y.Span);
                indices.CopyTo(yi.Span);
                return;
            }

            // The computed layout is shape with the axis moved last; invert that permutation.
            var moved = new List<int>(rank);
            for (var d = 0; d < rank; d++)
            {
                if (d != axis)
                {
                    moved.Add(shape[d]);
                }
            }

            moved.Add(k);
            var inverse = new int[rank];
            for (var d = 0; d < rank; d++)
            {
                inverse[d] = d < axis ? d : d == axis ? rank - 1 : d - 1;
            }

            Transposer.Permute<T>(values, [.. moved], inverse, y.Span);
            Transposer.Permute<long>(indices, [.. moved], inverse, yi.Span);
        }
    }

    /// <summary>Orders positions by value (descending when largest), ties by position.</summary>
    private readonly struct Order<T>(T[] values, bool largest) : IComparer<int>
        where T : INumber<T>
    {
        public T[] Values { get; } = values;

        public int Compare(int a, int b)
        {
            var c = Values[a].CompareTo(Values[b]);
            if (c != 0)
            {
                return largest ? -c : c;
            }

            return a.CompareTo(b);
        }
    }
}

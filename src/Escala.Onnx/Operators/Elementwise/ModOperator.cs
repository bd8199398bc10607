using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Broadcasting;
using Escala.Onnx.Operators.Dispatch;

namespace Escala.Onnx.Operators.Elementwise;

/// <summary>Mod: with fmod=0 (integers only) the result takes the divisor's sign, as Python's %; with fmod=1 the dividend's, as C fmod.</summary>
internal static class ModOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Default, "Mod", 10, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        var type = node.RequireType(0, TypeDispatch.NumericTypes);
        node.RequireSameType(0, 1);
        var fmod = node.GetInt("fmod", 0) != 0;
        if (!fmod && Tensors.ElementTypes.IsFloatingPoint(type))
        {
            throw node.Fail("fmod must be 1 for floating-point inputs");
        }

        node.SetOutput(0, type, ShapeInference.Broadcast(node.InputShape(0), node.InputShape(1)));
        return fmod
            ? TypeDispatch.Numeric<Factory<FmodOp>, IKernel>(type, default)
            : TypeDispatch.Numeric<Factory<FloorModOp>, IKernel>(type, default);
    }

    private readonly struct Factory<TOp> : INumericFactory<IKernel>
        where TOp : IArithmetic
    {
        public IKernel Create<T>()
            where T : unmanaged, INumber<T> => new BinaryKernel<T, T, T, ArithmeticOp<T, TOp>>();
    }

    private readonly struct FmodOp : IArithmetic
    {
        public static T Apply<T>(T a, T b) where T : INumber<T>
        {
            if (typeof(T) == typeof(Half))
            {
                // Half's remainder goes through float; do it explicitly to keep float's precision.
                return T.CreateTruncating(float.CreateTruncating(a) % float.CreateTruncating(b));
            }

            return a % b;
        }

        public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T>
        {
            for (var i = 0; i < d.Length; i++)
            {
                d[i] = Apply(a[i], b[i]);
            }
        }

        public static void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : INumber<T>
        {
            for (var i = 0; i < d.Length; i++)
            {
                d[i] = Apply(a[i], b);
            }
        }

        public static void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T>
        {
            for (var i = 0; i < d.Length; i++)
            {
                d[i] = Apply(a, b[i]);
            }
        }
    }

    private readonly struct FloorModOp : IArithmetic
    {
        public static T Apply<T>(T a, T b) where T : INumber<T>
        {
            var r = a % b;
            return !T.IsZero(r) && T.IsNegative(r) != T.IsNegative(b) ? r + b : r;
        }

        public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T>
        {
            for (var i = 0; i < d.Length; i++)
            {
                d[i] = Apply(a[i], b[i]);
            }
        }

        public static void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : INumber<T>
        {
            for (var i = 0; i < d.Length; i++)
            {
                d[i] = Apply(a[i], b);
            }
        }

        public static void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T>
        {
            for (var i = 0; i < d.Length; i++)
            {
                d[i] = Apply(a, b[i]);
            }
        }
    }
}

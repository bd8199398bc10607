using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Ml.Preprocessing;

/// <summary>
/// Imputer: elements equal to the replaced value (NaN matches NaN) become the imputed value of their feature (last
/// axis; one value for all features, or one per feature). Floats use the *_float(s) attributes, integers the *_int64(s)
/// ones; the output keeps the input's type and shape.
/// </summary>
internal static class ImputerOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Ml, "Imputer", 1, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        var type = node.RequireType(0, FeatureInput.NumericTypes);
        node.SetOutput(0, type, node.InputShape(0));
        var features = FeatureInput.FeaturesDim(node);
        if (type is ElementType.Float or ElementType.Double)
        {
            var imputed = node.GetFloats("imputed_value_floats") is { Length: > 0 } f
                ? f
                : throw node.Fail($"a {ElementTypes.Name(type)} input needs imputed_value_floats");
            Check(node, imputed.Length, features);
            var replaced = node.GetFloat("replaced_value_float", 0f);
            return type == ElementType.Float
                ? new ImputerKernel<float>(imputed, replaced)
                : new ImputerKernel<double>([.. imputed.Select(v => (double)v)], replaced);
        }

        var ints = node.GetInts("imputed_value_int64s") is { Length: > 0 } i
            ? i
            : throw node.Fail($"an {ElementTypes.Name(type)} input needs imputed_value_int64s");
        Check(node, ints.Length, features);
        var replacedInt = node.GetInt("replaced_value_int64", 0);
        return type == ElementType.Int64
            ? new ImputerKernel<long>(ints, replacedInt)
            : new ImputerKernel<int>([.. ints.Select(v => (int)v)], (int)replacedInt);
    }

    private static void Check(KernelBuildContext node, int length, int? features)
    {
        if (features is { } f)
        {
            PerFeature.Check(node, "the imputed values", length, f);
        }
    }
}

/// <summary>Replaces matching elements.</summary>
internal sealed class ImputerKernel<T>(T[] imputed, T replaced) : IKernel
    where T : unmanaged, INumber<T>
{
    public void Run(KernelContext context)
    {
        var x = context.Input<T>(0);
        var features = PerFeature.Width(x);
        PerFeature.Check(context, "the imputed values", imputed.Length, features);
        var src = x.Span;
        var y = context.Output<T>(0, x.ShapeArray()).Span;
        var matchNaN = T.IsNaN(replaced);
        for (var i = 0; i < src.Length; i++)
        {
            var v = src[i];
            y[i] = v == replaced || (matchNaN && T.IsNaN(v)) ? imputed[imputed.Length == 1 ? 0 : i % features] : v;
        }
    }
}

using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Ml.Preprocessing;

/// <summary>
/// Scaler: <c>y = (x - offset) * scale</c> per feature (the last axis), each list of length 1 or the feature count,
/// output float of the input's shape.
/// </summary>
internal static class ScalerOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Ml, "Scaler", 1, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        node.RequireType(0, FeatureInput.NumericTypes);
        var offset = node.GetFloats("offset") is { Length: > 0 } o ? o : [0f];
        var scale = node.GetFloats("scale") is { Length: > 0 } s ? s : [1f];
        if (FeatureInput.FeaturesDim(node) is { } features)
        {
            PerFeature.Check(node, "offset", offset.Length, features);
            PerFeature.Check(node, "scale", scale.Length, features);
        }

        node.SetOutput(0, ElementType.Float, node.InputShape(0));
        return new ScalerKernel(offset, scale);
    }
}

/// <summary>Applies the per-feature affine map.</summary>
internal sealed class ScalerKernel(float[] offset, float[] scale) : IKernel
{
    public void Run(KernelContext context)
    {
        var x = context.InputTensor(0);
        var features = PerFeature.Width(x);
        PerFeature.Check(context, "offset", offset.Length, features);
        PerFeature.Check(context, "scale", scale.Length, features);
        var data = FeatureInput.As<float>(context, x);
        var y = context.Output<float>(0, x.ShapeArray()).Span;
        for (var i = 0; i < data.Length; i++)
        {
            var f = features == 0 ? 0 : i % features;
            y[i] = (data[i] - offset[offset.Length == 1 ? 0 : f]) * scale[scale.Length == 1 ? 0 : f];
        }
    }
}

/// <summary>Checks for attributes given once or once per feature (Scaler, Imputer).</summary>
internal static class PerFeature
{
    /// <summary>The feature count: the last dim (the length of a 1-D input; 1 for a scalar).</summary>
    public static int Width(OnnxTensor x) => x.Rank == 0 ? 1 : x.Dim(x.Rank - 1);

    public static void Check(KernelBuildContext node, string name, int length, int features)
    {
        if (length != 1 && length != features)
        {
            throw node.Fail($"{name} has {length} values; it must have 1 or one per feature ({features})");
        }
    }

    public static void Check(KernelContext context, string name, int length, int features)
    {
        if (length != 1 && length != features)
        {
            throw context.Fail($"{name} has {length} values; the input has {features} features, so it must have 1 or {features}");
        }
    }
}

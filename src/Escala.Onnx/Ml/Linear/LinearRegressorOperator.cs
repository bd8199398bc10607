using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Ml.Linear;

/// <summary>
/// LinearRegressor: <c>targets</c> linear models, <c>y_t = x · coef_t + intercept_t</c>, in single precision. With one
/// target only PROBIT changes the output (ONNX Runtime leaves the other transforms out for one column).
/// </summary>
internal static class LinearRegressorOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Ml, "LinearRegressor", 1, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        node.RequireType(0, FeatureInput.NumericTypes);
        var coefficients = node.GetFloats("coefficients") ?? throw node.Fail("required attribute 'coefficients' is missing");
        var targets = node.GetInt("targets", 1);
        if (targets < 1 || targets > coefficients.Length || coefficients.Length % targets != 0)
        {
            throw node.Fail($"targets = {targets} does not divide the {coefficients.Length} coefficients into whole rows");
        }

        var intercepts = node.GetFloats("intercepts") ?? [];
        if (intercepts.Length != 0 && intercepts.Length != targets)
        {
            throw node.Fail($"intercepts has {intercepts.Length} values for {targets} targets");
        }

        var features = coefficients.Length / (int)targets;
        if (FeatureInput.FeaturesDim(node) is { } f && f != features)
        {
            throw node.Fail($"the input has {f} features but the coefficients are for {features}");
        }

        PostTransform transform;
        try
        {
            transform = PostTransforms.Parse(node.GetString("post_transform", "NONE"));
        }
        catch (FormatException e)
        {
            throw node.Fail(e.Message);
        }

        node.SetOutput(0, ElementType.Float, [FeatureInput.RowsDim(node), (int)targets]);
        return new LinearRegressorKernel(coefficients, intercepts, (int)targets, transform);
    }
}

/// <summary>One vectorised dot product per row and target.</summary>
internal sealed class LinearRegressorKernel(float[] coefficients, float[] intercepts, int targets, PostTransform transform) : IKernel
{
    public void Run(KernelContext context)
    {
        var x = context.InputTensor(0);
        var (rows, features) = FeatureInput.Shape(context, x);
        if (features * targets != coefficients.Length)
        {
            throw context.Fail($"the input has {features} features but the coefficients are for {coefficients.Length / targets}");
        }

        var data = FeatureInput.As<float>(context, x);
        var y = context.Output<float>(0, [rows, targets]).Span;
        LinearScores.Compute(data, rows, features, coefficients, targets, intercepts, y);
        if (targets > 1 || transform == PostTransform.Probit)
        {
            LinearClassifierKernel.Transform(transform, y, targets);
        }
    }
}

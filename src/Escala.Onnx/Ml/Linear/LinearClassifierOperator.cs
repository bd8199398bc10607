using System.Numerics.Tensors;
using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Ml.Linear;

/// <summary>
/// LinearClassifier: one score per class, <c>x · coef_k + intercept_k</c>, computed in single precision as ONNX Runtime
/// does. With one coefficient vector and two labels the model is binary: class 1 wins when the score is positive and
/// the two score columns are <c>[1 - s, s]</c> (LOGISTIC: <c>[1 - σ(s), σ(s)]</c>). Otherwise the first highest score
/// wins and the transform applies to the row. <c>multi_class</c> changes nothing at inference.
/// </summary>
internal static class LinearClassifierOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Ml, "LinearClassifier", 1, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        node.RequireType(0, FeatureInput.NumericTypes);
        var coefficients = node.GetFloats("coefficients") ?? throw node.Fail("required attribute 'coefficients' is missing");
        if (coefficients.Length == 0)
        {
            throw node.Fail("coefficients is empty");
        }

        var intercepts = node.GetFloats("intercepts") ?? [];
        var labels = ClassLabels.Read(node, "classlabels_ints", "classlabels_strings");
        var transform = Parse(node, () => PostTransforms.Parse(node.GetString("post_transform", "NONE")));
        var features = FeatureInput.FeaturesDim(node);
        var classes = intercepts.Length > 0 ? intercepts.Length : features is > 0 ? coefficients.Length / features.Value : (int?)null;
        if (classes is { } c)
        {
            Check(node, coefficients.Length, c, intercepts.Length, labels.Count, features);
        }

        var rows = FeatureInput.RowsDim(node);
        node.SetOutput(0, labels.ElementType, [rows]);
        node.SetOutput(1, ElementType.Float, [rows, classes is { } k ? (k == 1 ? 2 : k) : OnnxDim.Unknown]);
        return new LinearClassifierKernel(coefficients, intercepts, labels, transform);
    }

    /// <summary>Checks the attribute lengths agree; returns nothing, throws a message naming what is wrong.</summary>
    internal static void Check(KernelBuildContext node, int coefficients, int classes, int intercepts, int labels, int? features)
    {
        if (intercepts != 0 && intercepts != classes)
        {
            throw node.Fail($"intercepts has {intercepts} values for {classes} classes");
        }

        if (features is { } f && coefficients != classes * f)
        {
            throw node.Fail($"coefficients has {coefficients} values; {classes} classes x {f} features need {classes * f}");
        }

        if (classes == 1 ? labels != 2 : labels < classes)
        {
            throw node.Fail(classes == 1
                ? $"one coefficient vector is a binary model and needs 2 class labels, got {labels}"
                : $"{classes} classes need as many class labels, got {labels}");
        }
    }

    private static PostTransform Parse(KernelBuildContext node, Func<PostTransform> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw node.Fail(e.Message);
        }
    }
}

/// <summary>Scores each row with every class's coefficients (a vectorised dot product per class).</summary>
internal sealed class LinearClassifierKernel(float[] coefficients, float[] intercepts, ClassLabels labels, PostTransform transform) : IKernel
{
    public void Run(KernelContext context)
    {
        var x = context.InputTensor(0);
        var (rows, features) = FeatureInput.Shape(context, x);
        if (features == 0 || coefficients.Length % features != 0)
        {
            throw context.Fail($"the input has {features} features but coefficients has {coefficients.Length} values, not a whole number of rows of {features}");
        }

        var classes = coefficients.Length / features;
        if (intercepts.Length != 0 && intercepts.Length != classes)
        {
            throw context.Fail($"the input has {features} features, so coefficients hold {classes} classes, but intercepts has {intercepts.Length} values");
        }

        var data = FeatureInput.As<float>(context, x);
        var columns = classes == 1 ? 2 : classes;
        var z = context.Output<float>(1, [rows, columns]).Span;
        var winners = context.Scratch<int>(rows);
        if (classes == 1)
        {
            var scores = context.Scratch<float>(rows);
            LinearScores.Compute(data, rows, features, coefficients, 1, intercepts, scores);
            for (var r = 0; r < rows; r++)
            {
                winners[r] = scores[r] > 0 ? 1 : 0;
            }

            Transform(transform, scores, 1);
            for (var r = 0; r < rows; r++)
            {
                z[2 * r] = 1f - scores[r];
                z[(2 * r) + 1] = scores[r];
            }
        }
        else
        {
            LinearScores.Compute(data, rows, features, coefficients, classes, intercepts, z);
            for (var r = 0; r < rows; r++)
            {
                var row = z.Slice(r * classes, classes);
                var best = 0;
                for (var k = 1; k < classes; k++)
                {
                    if (row[k] > row[best])
                    {
                        best = k;
                    }
                }

                winners[r] = best;
            }

            Transform(transform, z, classes);
        }

        labels.Write(context, 0, winners);
    }

    /// <summary>
    /// Applies the transform to rows of <paramref name="columns"/> scores. LOGISTIC runs vectorised over the whole
    /// buffer (ONNX Runtime uses its vectorised logistic here too); SOFTMAX and SOFTMAX_ZERO go row by row. One score per
    /// row (the binary model) is a probability-like value: NONE and the softmaxes leave it as is.
    /// </summary>
    internal static void Transform(PostTransform transform, Span<float> scores, int columns)
    {
        switch (transform)
        {
            case PostTransform.Logistic:
                TensorPrimitives.Sigmoid(scores, scores);
                break;
            case PostTransform.Probit:
                ScoreTransform.Apply(PostTransform.Probit, scores);
                break;
            case PostTransform.Softmax or PostTransform.SoftmaxZero when columns > 1:
                for (var r = 0; r < scores.Length; r += columns)
                {
                    ScoreTransform.Apply(transform, scores.Slice(r, columns));
                }

                break;
            default:
                break;
        }
    }
}

using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Ml.Svm;

/// <summary>SVMClassifier and SVMRegressor: attributes validated into <see cref="SvmClassifierModel"/> / <see cref="SvmRegressorModel"/> once.</summary>
internal static class SvmOperators
{
    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Ml, "SVMClassifier", 1, CreateClassifier);
        registry.Add(OpsetDomains.Ml, "SVMRegressor", 1, CreateRegressor);
    }

    private static IKernel CreateClassifier(KernelBuildContext node)
    {
        node.RequireType(0, FeatureInput.NumericTypes);
        var labels = ClassLabels.Read(node, "classlabels_ints", "classlabels_strings");
        node.RequireWithinBudget($"the pairwise votes of {labels.Count} classes", (3L * labels.Count * labels.Count) + (2L * labels.Count), sizeof(float));
        var model = Build(node, () => new SvmClassifierModel(
            labels.Count, Kernel(node), PostTransforms.Parse(node.GetString("post_transform", "NONE")),
            node.GetFloats("coefficients") ?? throw new FormatException("required attribute 'coefficients' is missing"),
            node.GetFloats("support_vectors"), node.GetInts("vectors_per_class"),
            node.GetFloats("rho") ?? throw new FormatException("required attribute 'rho' is missing"),
            node.GetFloats("prob_a"), node.GetFloats("prob_b")));
        RequireFeatures(node, model.FeatureCount);
        var rows = FeatureInput.RowsDim(node);
        node.SetOutput(0, labels.ElementType, [rows]);
        node.SetOutput(1, ElementType.Float, [rows, model.ScoreColumns]);
        return new SvmClassifierKernel(model, labels);
    }

    private static IKernel CreateRegressor(KernelBuildContext node)
    {
        node.RequireType(0, FeatureInput.NumericTypes);
        var model = Build(node, () => new SvmRegressorModel(
            Kernel(node), PostTransforms.Parse(node.GetString("post_transform", "NONE")),
            node.GetFloats("coefficients") ?? throw new FormatException("required attribute 'coefficients' is missing"),
            node.GetFloats("support_vectors"), node.GetInt("n_supports", 0),
            node.GetFloats("rho") ?? throw new FormatException("required attribute 'rho' is missing"),
            node.GetInt("one_class", 0) != 0));
        RequireFeatures(node, model.FeatureCount);
        node.SetOutput(0, ElementType.Float, [FeatureInput.RowsDim(node), 1]);
        return new SvmRegressorKernel(model);
    }

    private static SvmKernelFunction Kernel(KernelBuildContext node) =>
        SvmKernelFunction.Parse(node.GetString("kernel_type", "LINEAR"), node.GetFloats("kernel_params"));

    private static void RequireFeatures(KernelBuildContext node, int features)
    {
        if (FeatureInput.FeaturesDim(node) is { } f && f != features)
        {
            throw node.Fail($"the input has {f} features but the model's vectors have {features}");
        }
    }

    private static T Build<T>(KernelBuildContext node, Func<T> build)
    {
        try
        {
            return build();
        }
        catch (FormatException e)
        {
            throw node.Fail(e.Message);
        }
    }

    internal static int Features(KernelContext context, OnnxTensor x, int expected)
    {
        var (_, features) = FeatureInput.Shape(context, x);
        return features == expected ? features : throw context.Fail($"the input has {features} features but the model's vectors have {expected}");
    }
}

/// <summary>Scores each row: kernels against the support vectors, pairwise decisions and votes, probabilities.</summary>
internal sealed class SvmClassifierKernel(SvmClassifierModel model, ClassLabels labels) : IKernel
{
    public void Run(KernelContext context)
    {
        var x = context.InputTensor(0);
        var features = SvmOperators.Features(context, x, model.FeatureCount);
        var rows = FeatureInput.Shape(context, x).Rows;
        var data = FeatureInput.As<float>(context, x);
        var columns = model.ScoreColumns;
        var z = context.Output<float>(1, [rows, columns]).Span;
        var winners = context.Scratch<int>(rows);
        var scratch = context.Scratch<float>(model.ScratchLength);
        for (var r = 0; r < rows; r++)
        {
            if (r % 1024 == 0)
            {
                context.ThrowIfCancelled();
            }

            winners[r] = model.Score(data.Slice(r * features, features), z.Slice(r * columns, columns), scratch);
        }

        labels.Write(context, 0, winners);
    }
}

/// <summary>Predicts each row.</summary>
internal sealed class SvmRegressorKernel(SvmRegressorModel model) : IKernel
{
    public void Run(KernelContext context)
    {
        var x = context.InputTensor(0);
        var features = SvmOperators.Features(context, x, model.FeatureCount);
        var rows = FeatureInput.Shape(context, x).Rows;
        var data = FeatureInput.As<float>(context, x);
        var y = context.Output<float>(0, [rows, 1]).Span;
        var scratch = context.Scratch<float>(model.ScratchLength);
        for (var r = 0; r < rows; r++)
        {
            if (r % 1024 == 0)
            {
                context.ThrowIfCancelled();
            }

            y[r] = model.Predict(data.Slice(r * features, features), scratch);
        }
    }
}

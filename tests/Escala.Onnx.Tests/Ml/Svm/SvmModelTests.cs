using Escala.Onnx.Ml;
using Escala.Onnx.Ml.Svm;

namespace Escala.Onnx.Tests.Ml.Svm;

/// <summary>
/// SVM arithmetic on three rows [[1, 2], [-1, -2], [0.1, 0.1]]. Every expected value here was produced by ONNX Runtime
/// 1.30 (onnxruntime-node, CPU) running a one-node model with the same attributes.
/// </summary>
public sealed class SvmModelTests
{
    private static readonly float[] Rows = [1f, 2f, -1f, -2f, 0.1f, 0.1f];

    [Theory]
    [InlineData("LINEAR", "NONE", new[] { 0, 1, 0 }, new[] { -3.35f, 3.35f, 3.15f, -3.15f, -0.325f, 0.325f })]
    [InlineData("LINEAR", "LOGISTIC", new[] { 0, 1, 0 }, new[] { 0.033895195f, 0.9661048f, 0.9589087f, 0.04109132f, 0.41945767f, 0.5805423f })]
    [InlineData("LINEAR", "SOFTMAX", new[] { 0, 1, 0 }, new[] { -2.35f, 3.35f, 4.15f, -3.15f, 0.675f, 0.325f })]
    [InlineData("POLY", "NONE", new[] { 1, 1, 0 }, new[] { 0.5625f, -0.5625f, 1.8625f, -1.8625f, -0.139375f, 0.139375f })]
    [InlineData("RBF", "NONE", new[] { 0, 1, 0 }, new[] { -0.25850993f, 0.25850993f, 0.34405568f, -0.34405568f, -0.37408975f, 0.37408975f })]
    [InlineData("RBF", "LOGISTIC", new[] { 0, 1, 0 }, new[] { 0.43573004f, 0.56426996f, 0.58517534f, 0.41482466f, 0.40755314f, 0.59244686f })]
    [InlineData("SIGMOID", "NONE", new[] { 0, 1, 0 }, new[] { -1.2568899f, 1.2568899f, 0.9132223f, -0.9132223f, -0.208938f, 0.208938f })]
    [InlineData("SIGMOID", "SOFTMAX", new[] { 0, 1, 0 }, new[] { -0.25688994f, 1.2568899f, 1.9132223f, -0.9132223f, 0.791062f, 0.208938f })]
    public void Binary_one_vs_one_spreads_the_decision_value_over_two_columns(string kernel, string transform, int[] classes, float[] expected)
    {
        var model = new SvmClassifierModel(
            2, SvmKernelFunction.Parse(kernel, [0.5f, 0.2f, 2f]), PostTransforms.Parse(transform), [0.5f, 0.25f, -0.75f],
            [1f, 0f, 0f, 1f, -1f, -1f], [2, 1], [0.1f], null, null);
        AssertScores(model, classes, expected);
    }

    [Fact]
    public void Binary_probit_writes_the_probit_of_the_decision_value_and_zero()
    {
        var model = new SvmClassifierModel(
            2, SvmKernelFunction.Parse("RBF", [0.5f, 0.2f, 2f]), PostTransform.Probit, [0.5f, 0.25f, -0.75f],
            [1f, 0f, 0f, 1f, -1f, -1f], [2, 1], [0.1f], null, null);
        var scores = new float[2];
        model.Score([1f, 2f], scores, new float[model.ScratchLength]);
        Assert.Equal(-0.6480226f, scores[0], 1e-5f);
        Assert.Equal(0f, scores[1]);
    }

    [Fact]
    public void Binary_probabilities_come_from_platt_scaling()
    {
        var model = new SvmClassifierModel(
            2, SvmKernelFunction.Parse("RBF", [0.5f, 0.2f, 2f]), PostTransform.None, [0.5f, 0.25f, -0.75f],
            [1f, 0f, 0f, 1f, -1f, -1f], [2, 1], [0.1f], [-2f], [0.1f]);
        AssertScores(model, [0, 1, 0], [0.60212475f, 0.39787525f, 0.31257427f, 0.6874257f, 0.6539775f, 0.34602243f]);
    }

    [Theory]
    [InlineData("NONE", new[] { 0.2596375f, -0.26879522f, 0.16066453f, 0.11084231f, -0.6640558f, 0.17332752f, 0.5977377f, -0.7554731f, 0.30873454f })]
    [InlineData("SOFTMAX", new[] { 0.40075412f, 0.23625587f, 0.36298996f, 0.3960036f, 0.18245895f, 0.4215374f, 0.49815208f, 0.1287271f, 0.37312078f })]
    public void Three_classes_without_probabilities_report_one_decision_value_per_pair(string transform, float[] expected)
    {
        AssertScores(ThreeClasses(PostTransforms.Parse(transform), null, null), [0, 0, 0], expected);
    }

    [Fact]
    public void Three_classes_with_probabilities_couple_the_pairwise_estimates()
    {
        var model = ThreeClasses(PostTransform.None, [-2f, -1f, -1.5f], [0.1f, 0f, -0.2f]);
        AssertScores(model, [0, 0, 0], [0.3503817f, 0.33266115f, 0.31695727f, 0.28098479f, 0.37985927f, 0.33915618f, 0.34988162f, 0.29155606f, 0.35856247f]);
    }

    [Theory]
    [InlineData("NONE", new[] { 1, 2, 0 }, new[] { 1.1f, 1.6f, -1.9f, -0.9f, -1.4f, 2.1f, 0.175f, 0.15f, 0f })]
    [InlineData("LOGISTIC", new[] { 1, 2, 0 }, new[] { 0.7502601f, 0.8320184f, 0.13010845f, 0.28905052f, 0.1978161f, 0.8909032f, 0.5436387f, 0.5374299f, 0.5f })]
    public void Without_support_vectors_each_class_is_a_linear_model_sharing_rho(string transform, int[] classes, float[] expected)
    {
        // kernel_type RBF is ignored in this mode, as in ONNX Runtime.
        var model = new SvmClassifierModel(
            3, SvmKernelFunction.Parse("RBF", [0.5f, 0.2f, 2f]), PostTransforms.Parse(transform), [0.5f, 0.25f, -0.5f, 1f, 0f, -1f],
            null, null, [0.1f], null, null);
        Assert.True(model.IsLinear);
        AssertScores(model, classes, expected);
    }

    [Fact]
    public void Linear_binary_picks_class_one_when_the_best_score_is_positive()
    {
        var model = new SvmClassifierModel(
            2, SvmKernelFunction.Parse("LINEAR", null), PostTransform.None, [0.5f, 0.25f, -0.5f, 1f], null, null, [0.1f], null, null);
        AssertScores(model, [1, 0, 1], [1.1f, 1.6f, -0.9f, -1.4f, 0.175f, 0.15f]);
    }

    [Theory]
    [InlineData("LINEAR", new[] { 0.1f, 0.1f, 0.125f })]
    [InlineData("POLY", new[] { -0.16050005f, 0.21450001f, 0.10390625f })]
    [InlineData("RBF", new[] { 0.07569778f, 0.10747334f, 0.26591256f })]
    [InlineData("SIGMOID", new[] { 0.19377026f, 0.12035292f, 0.16122967f })]
    public void Regressor_sums_weighted_kernels_plus_rho(string kernel, float[] expected)
    {
        var model = new SvmRegressorModel(
            SvmKernelFunction.Parse(kernel, [0.5f, 0.2f, 3f]), PostTransform.None, [0.5f, -0.25f], [1f, 0f, 0f, 1f], 2, [0.1f], oneClass: false);
        var scratch = new float[model.ScratchLength];
        for (var r = 0; r < 3; r++)
        {
            Assert.Equal(expected[r], model.Predict(Rows.AsSpan(r * 2, 2), scratch), 1e-5f);
        }
    }

    [Fact]
    public void One_class_regressor_answers_the_sign()
    {
        var model = new SvmRegressorModel(
            SvmKernelFunction.Parse("RBF", [0.5f, 0.2f, 3f]), PostTransform.None, [0.5f, -0.25f], [1f, 0f, 0f, 1f], 2, [0f], oneClass: true);
        var scratch = new float[model.ScratchLength];
        Assert.Equal(-1f, model.Predict([1f, 2f], scratch));
        Assert.Equal(1f, model.Predict([0.1f, 0.1f], scratch));
    }

    [Fact]
    public void Inconsistent_attributes_are_refused_with_the_counts_named()
    {
        var error = Assert.Throws<FormatException>(() => new SvmClassifierModel(
            2, SvmKernelFunction.Parse("RBF", [0.5f, 0.2f, 2f]), PostTransform.None, [0.5f, 0.25f],
            [1f, 0f, 0f, 1f, -1f, -1f], [2, 1], [0.1f], null, null));
        Assert.Contains("coefficients has 2 values", error.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => SvmKernelFunction.Parse("CUBIC", null));
        Assert.Throws<FormatException>(() => new SvmRegressorModel(
            SvmKernelFunction.Parse("RBF", null), PostTransform.None, [1f], [1f, 2f, 3f], 2, [0f], false));
    }

    private static SvmClassifierModel ThreeClasses(PostTransform transform, float[]? probA, float[]? probB) => new(
        3, SvmKernelFunction.Parse("RBF", [0.5f, 0.2f, 2f]), transform, [0.5f, 0.25f, -0.75f, -0.5f, 0.3f, 0.2f],
        [1f, 0f, 0f, 1f, -1f, -1f], [1, 1, 1], [0.1f, -0.2f, 0.05f], probA, probB);

    private static void AssertScores(SvmClassifierModel model, int[] classes, float[] expected)
    {
        var columns = model.ScoreColumns;
        var scores = new float[columns];
        var scratch = new float[model.ScratchLength];
        for (var r = 0; r < 3; r++)
        {
            Assert.Equal(classes[r], model.Score(Rows.AsSpan(r * 2, 2), scores, scratch));
            for (var k = 0; k < columns; k++)
            {
                Assert.Equal(expected[(r * columns) + k], scores[k], 1e-5f + (1e-5f * Math.Abs(expected[(r * columns) + k])));
            }
        }
    }
}

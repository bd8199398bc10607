namespace Escala.Onnx.Tests.Ml.Linear;

/// <summary>
/// LinearClassifier and LinearRegressor on rows [[1, 2], [-1, -2], [0.1, 0.1]]. Expected values are ONNX Runtime
/// 1.30's for the same attributes, except where a test says otherwise.
/// </summary>
public sealed class LinearOperatorTests
{
    private static readonly float[] Rows = [1f, 2f, -1f, -2f, 0.1f, 0.1f];

    [Theory]
    [InlineData("NONE", new[] { 1.1f, 1.7f, -1.7f, -0.9f, -1.3f, 2.3f, 0.175f, 0.25f, 0.2f })]
    [InlineData("LOGISTIC", new[] { 0.7502601f, 0.84553474f, 0.15446526f, 0.28905052f, 0.21416506f, 0.9088770f, 0.5436387f, 0.56217647f, 0.54983401f })]
    [InlineData("SOFTMAX", new[] { 0.34686944f, 0.6320374f, 0.021093152f, 0.038163796f, 0.025581954f, 0.93625426f, 0.32224807f, 0.3473461f, 0.33040583f })]
    [InlineData("SOFTMAX_ZERO", new[] { 0.34686944f, 0.6320374f, 0.021093152f, 0.038163796f, 0.025581954f, 0.93625426f, 0.32224807f, 0.3473461f, 0.33040583f })]
    public void Classifier_scores_every_class_and_picks_the_highest(string transform, float[] expected)
    {
        var outputs = new OneNodeModel("LinearClassifier", b => b
            .Floats("coefficients", 0.5f, 0.25f, -0.5f, 1f, 0f, -1f).Floats("intercepts", 0.1f, 0.2f, 0.3f)
            .Ints("classlabels_ints", 7, 8, 9).String("post_transform", transform), opset: 1)
            .Input("X", Rows, 3, 2).Outputs("Y", "Z").Run();
        Assert.Equal([8L, 9L, 8L], OneNodeModel.Values<long>(outputs[0]));
        OneNodeModel.AssertClose(expected, outputs[1]);
    }

    [Theory]
    [InlineData("NONE", new[] { -0.1f, 1.1f, 1.9f, -0.9f, 0.825f, 0.175f })]
    [InlineData("LOGISTIC", new[] { 0.24973989f, 0.7502601f, 0.7109495f, 0.28905052f, 0.45636129f, 0.5436387f })]
    [InlineData("SOFTMAX", new[] { -0.1f, 1.1f, 1.9f, -0.9f, 0.825f, 0.175f })]
    public void Binary_classifier_with_one_coefficient_vector_writes_two_columns(string transform, float[] expected)
    {
        var outputs = new OneNodeModel("LinearClassifier", b => b
            .Floats("coefficients", 0.5f, 0.25f).Floats("intercepts", 0.1f).Strings("classlabels_strings", "no", "yes")
            .String("post_transform", transform), opset: 1)
            .Input("X", Rows, 3, 2).Outputs("Y", "Z").Run();
        Assert.Equal(["yes", "no", "yes"], OneNodeModel.Values<string>(outputs[0]));
        OneNodeModel.AssertClose(expected, outputs[1]);
    }

    [Fact]
    public void Classifier_reads_integer_and_double_inputs_and_breaks_ties_toward_the_first_class()
    {
        var outputs = new OneNodeModel("LinearClassifier", b => b
            .Floats("coefficients", 1f, 0f, 1f, 0f).Floats("intercepts", 0f, 0f).Ints("classlabels_ints", 3, 4), opset: 1)
            .Input("X", [1L, 2L, -1L, -2L], 2, 2).Outputs("Y", "Z").Run();
        Assert.Equal([3L, 3L], OneNodeModel.Values<long>(outputs[0]));
        var doubles = new OneNodeModel("LinearClassifier", b => b
            .Floats("coefficients", 0.5f, 0.25f).Floats("intercepts", 0.1f).Ints("classlabels_ints", 0, 1), opset: 1)
            .Input("X", [1.0, 2.0], 1, 2).Outputs("Y", "Z").Run();
        OneNodeModel.AssertClose([-0.1f, 1.1f], doubles[1]);
    }

    [Fact]
    public void Classifier_with_fewer_labels_than_classes_is_refused()
    {
        var error = new OneNodeModel("LinearClassifier", b => b
            .Floats("coefficients", 0.5f, 0.25f, -0.5f, 1f, 0f, -1f).Floats("intercepts", 0.1f, 0.2f, 0.3f).Ints("classlabels_ints", 1, 2), opset: 1)
            .Input("X", Rows, 3, 2).Outputs("Y", "Z").LoadError();
        Assert.Contains("3 classes need as many class labels", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NONE", new[] { 1.1f, -0.25f, -0.9f, 0.35f, 0.175f, 0.04f })]
    [InlineData("LOGISTIC", new[] { 0.7502601f, 0.4378235f, 0.28905052f, 0.58661759f, 0.5436387f, 0.50999868f })]
    [InlineData("SOFTMAX", new[] { 0.79412961f, 0.20587036f, 0.22270015f, 0.77729988f, 0.53369886f, 0.46630114f })]
    public void Regressor_with_two_targets_applies_the_transform_per_row(string transform, float[] expected)
    {
        var outputs = new OneNodeModel("LinearRegressor", b => b
            .Floats("coefficients", 0.5f, 0.25f, 0.1f, -0.2f).Floats("intercepts", 0.1f, 0.05f).Int("targets", 2).String("post_transform", transform), opset: 1)
            .Input("X", Rows, 3, 2).Outputs("Y").Run();
        OneNodeModel.AssertClose(expected, outputs[0]);
    }

    [Theory]
    [InlineData("NONE", new[] { 1.1f, -0.9f, 0.175f })]
    [InlineData("LOGISTIC", new[] { 1.1f, -0.9f, 0.175f })]
    [InlineData("PROBIT", new[] { float.NaN, float.NaN, -0.93474889f })]
    public void Regressor_with_one_target_only_takes_probit(string transform, float[] expected)
    {
        var outputs = new OneNodeModel("LinearRegressor", b => b
            .Floats("coefficients", 0.5f, 0.25f).Floats("intercepts", 0.1f).String("post_transform", transform), opset: 1)
            .Input("X", Rows, 3, 2).Outputs("Y").Run();
        OneNodeModel.AssertClose(expected, outputs[0]);
    }

    [Fact]
    public void Regressor_whose_coefficients_do_not_fit_the_input_is_refused()
    {
        var error = new OneNodeModel("LinearRegressor", b => b.Floats("coefficients", 0.5f, 0.25f, 1f), opset: 1)
            .Input("X", Rows, 3, 2).Outputs("Y").LoadError();
        Assert.Contains("the input has 2 features but the coefficients are for 3", error.Message, StringComparison.Ordinal);
    }
}

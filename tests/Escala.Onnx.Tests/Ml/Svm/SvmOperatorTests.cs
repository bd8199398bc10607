namespace Escala.Onnx.Tests.Ml.Svm;

/// <summary>SVMClassifier and SVMRegressor end to end; values as ONNX Runtime 1.30 computes them for the same attributes.</summary>
public sealed class SvmOperatorTests
{
    private static readonly float[] Rows = [1f, 2f, -1f, -2f, 0.1f, 0.1f];

    [Fact]
    public void Classifier_with_string_labels_votes_one_against_one()
    {
        var outputs = new OneNodeModel("SVMClassifier", b => b
            .Ints("vectors_per_class", 1, 1, 1).Floats("support_vectors", 1f, 0f, 0f, 1f, -1f, -1f)
            .Floats("coefficients", 0.5f, 0.25f, -0.75f, -0.5f, 0.3f, 0.2f).Floats("rho", 0.1f, -0.2f, 0.05f)
            .Strings("classlabels_strings", "a", "b", "c").Floats("kernel_params", 0.5f, 0.2f, 2f).String("kernel_type", "RBF")
            .Floats("prob_a", -2f, -1f, -1.5f).Floats("prob_b", 0.1f, 0f, -0.2f), opset: 1)
            .Input("X", Rows, 3, 2).Outputs("Y", "Z").Run();
        Assert.Equal(["a", "a", "a"], OneNodeModel.Values<string>(outputs[0]));
        OneNodeModel.AssertClose([0.3503817f, 0.33266115f, 0.31695727f, 0.28098479f, 0.37985927f, 0.33915618f, 0.34988162f, 0.29155606f, 0.35856247f], outputs[1]);
    }

    [Fact]
    public void Regressor_reads_integer_input()
    {
        var outputs = new OneNodeModel("SVMRegressor", b => b
            .Int("n_supports", 2).Floats("support_vectors", 1f, 0f, 0f, 1f).Floats("coefficients", 0.5f, -0.25f).Floats("rho", 0.1f)
            .Floats("kernel_params", 0.5f, 0.2f, 3f).String("kernel_type", "LINEAR"), opset: 1)
            .Input("X", [1L, 2L], 1, 2).Outputs("Y").Run();
        OneNodeModel.AssertClose([0.1f], outputs[0]);
    }

    [Fact]
    public void A_model_whose_vectors_do_not_match_the_input_width_is_refused()
    {
        var error = new OneNodeModel("SVMRegressor", b => b
            .Int("n_supports", 2).Floats("support_vectors", 1f, 0f, 0f, 1f).Floats("coefficients", 0.5f, -0.25f).Floats("rho", 0.1f), opset: 1)
            .Input("X", [1f, 2f, 3f], 1, 3).Outputs("Y").LoadError();
        Assert.Contains("the input has 3 features but the model's vectors have 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Support_vector_counts_larger_than_the_vectors_given_are_refused()
    {
        var error = new OneNodeModel("SVMClassifier", b => b
            .Ints("vectors_per_class", 2_000_000_000, 2_000_000_000).Floats("support_vectors", 1f, 0f).Floats("coefficients", 0.5f)
            .Floats("rho", 0.1f).Ints("classlabels_ints", 0, 1), opset: 1)
            .Input("X", [1f, 2f], 1, 2).Outputs("Y", "Z").LoadError();
        Assert.Contains("adds up to 4000000000 support vectors", error.Message, StringComparison.Ordinal);
    }
}

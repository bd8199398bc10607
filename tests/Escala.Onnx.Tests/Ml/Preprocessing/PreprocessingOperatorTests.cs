using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Ml.Preprocessing;

/// <summary>Scaler, Normalizer, Imputer, Binarizer, FeatureVectorizer, ArrayFeatureExtractor; values as ONNX Runtime 1.30 computes them unless noted.</summary>
public sealed class PreprocessingOperatorTests
{
    private static readonly float[] Matrix = [1f, -2f, 3f, 0f, 0f, 0f, -4f, 1f, 2f];

    [Fact]
    public void Scaler_subtracts_the_offset_then_multiplies_per_feature_or_for_all()
    {
        var perFeature = new OneNodeModel("Scaler", b => b.Floats("offset", 1f, 2f, 3f).Floats("scale", 2f, 3f, 4f), opset: 1)
            .Input("X", Matrix, 3, 3).Outputs("Y").Run();
        Assert.Equal([0f, -12f, 0f, -2f, -6f, -12f, -10f, -3f, -4f], OneNodeModel.Values<float>(perFeature[0]));
        var shared = new OneNodeModel("Scaler", b => b.Floats("offset", 1f).Floats("scale", 2f), opset: 1)
            .Input("X", [1L, 2L, 3L, 4L], 1, 2, 2).Outputs("Y").Run();
        Assert.Equal([0f, 2f, 4f, 6f], OneNodeModel.Values<float>(shared[0]));
        Assert.Equal([1, 2, 2], Assert.IsType<OnnxTensor<float>>(shared[0]).Shape.ToArray());
    }

    [Fact]
    public void Scaler_with_a_list_of_the_wrong_length_is_refused()
    {
        var error = new OneNodeModel("Scaler", b => b.Floats("offset", 1f, 2f).Floats("scale", 2f), opset: 1).Input("X", Matrix, 3, 3).Outputs("Y").LoadError();
        Assert.Contains("offset has 2 values", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MAX", new[] { 0.33333334f, -0.6666667f, 1f, 0f, 0f, 0f, -2f, 0.5f, 1f })]
    [InlineData("L1", new[] { 0.16666667f, -0.33333334f, 0.5f, 0f, 0f, 0f, -0.5714286f, 0.14285715f, 0.2857143f })]
    [InlineData("L2", new[] { 0.26726124f, -0.5345225f, 0.8017837f, 0f, 0f, 0f, -0.8728716f, 0.2182179f, 0.43643579f })]
    public void Normalizer_divides_each_row_and_leaves_zero_rows(string norm, float[] expected)
    {
        var outputs = new OneNodeModel("Normalizer", b => b.String("norm", norm), opset: 1).Input("X", Matrix, 3, 3).Outputs("Y").Run();
        OneNodeModel.AssertClose(expected, outputs[0]);
    }

    [Fact]
    public void Normalizer_rejects_an_unknown_norm()
    {
        var error = new OneNodeModel("Normalizer", b => b.String("norm", "L3"), opset: 1).Input("X", Matrix, 3, 3).Outputs("Y").LoadError();
        Assert.Contains("norm 'L3'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Imputer_replaces_values_per_feature_and_matches_NaN()
    {
        var perFeature = new OneNodeModel("Imputer", b => b.Floats("imputed_value_floats", 10f, 20f, 30f).Float("replaced_value_float", 0f), opset: 1)
            .Input("X", Matrix, 3, 3).Outputs("Y").Run();
        Assert.Equal([1f, -2f, 3f, 10f, 20f, 30f, -4f, 1f, 2f], OneNodeModel.Values<float>(perFeature[0]));
        var nan = new OneNodeModel("Imputer", b => b.Floats("imputed_value_floats", 10f).Float("replaced_value_float", float.NaN), opset: 1)
            .Input("X", [float.NaN, 1f, 2f, float.NaN], 2, 2).Outputs("Y").Run();
        Assert.Equal([10f, 1f, 2f, 10f], OneNodeModel.Values<float>(nan[0]));
        var ints = new OneNodeModel("Imputer", b => b.Ints("imputed_value_int64s", 7).Int("replaced_value_int64", -1), opset: 1)
            .Input("X", [-1L, 1L, 2L, -1L], 2, 2).Outputs("Y").Run();
        Assert.Equal([7L, 1L, 2L, 7L], OneNodeModel.Values<long>(ints[0]));
    }

    [Fact]
    public void Imputer_without_values_for_the_input_type_is_refused()
    {
        var error = new OneNodeModel("Imputer", b => b.Ints("imputed_value_int64s", 7), opset: 1).Input("X", Matrix, 3, 3).Outputs("Y").LoadError();
        Assert.Contains("needs imputed_value_floats", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binarizer_maps_above_threshold_to_one_keeping_the_type()
    {
        // NaN maps to 0: the ONNX reference implementation's answer (ONNX Runtime rejects NaN input).
        var floats = new OneNodeModel("Binarizer", b => b.Float("threshold", 0.5f), opset: 1).Input("X", [0f, 0.5f, 1f, float.NaN], 4).Outputs("Y").Run();
        Assert.Equal([0f, 0f, 1f, 0f], OneNodeModel.Values<float>(floats[0]));
        var ints = new OneNodeModel("Binarizer", b => b.Float("threshold", 1.5f), opset: 1).Input("X", [1L, 2L, 3L], 3).Outputs("Y").Run();
        Assert.Equal([0L, 1L, 1L], OneNodeModel.Values<long>(ints[0]));
    }

    [Fact]
    public void Feature_vectorizer_concatenates_rows_cutting_and_padding_to_the_declared_widths()
    {
        var builder = new OneNodeModel("FeatureVectorizer", b => b.Ints("inputdimensions", 3, 1), opset: 1)
            .Input("A", [1f, 2f, 3f, 4f], 2, 2).Input("B", [5f, 6f, 7f, 8f], 2, 2).Outputs("Y");
        Assert.Equal([1f, 2f, 0f, 5f, 3f, 4f, 0f, 7f], OneNodeModel.Values<float>(builder.Run()[0]));
        var flattened = new OneNodeModel("FeatureVectorizer", b => b.Ints("inputdimensions", 4, 1), opset: 1)
            .Input("A", [1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], 2, 2, 2).Input("B", [9f, 10f], 2, 1).Outputs("Y").Run();
        Assert.Equal([1f, 2f, 3f, 4f, 9f, 5f, 6f, 7f, 8f, 10f], OneNodeModel.Values<float>(flattened[0]));
    }

    [Fact]
    public void Feature_vectorizer_with_different_row_counts_is_an_error()
    {
        var error = new OneNodeModel("FeatureVectorizer", b => b.Ints("inputdimensions", 1, 1), opset: 1)
            .Input("A", [1f, 2f], 2, 1).Input("B", [3f, 4f, 5f], 3, 1, 1).Outputs("Y").RunError();
        Assert.Contains("same number of rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Array_feature_extractor_picks_columns_of_the_last_axis()
    {
        var matrix = new OneNodeModel("ArrayFeatureExtractor", _ => { }, opset: 1)
            .Input("X", [.. Enumerable.Range(0, 12).Select(i => (float)i)], 3, 4).Input("I", [0L, 3L], 2).Outputs("Z").Run();
        Assert.Equal([0f, 3f, 4f, 7f, 8f, 11f], OneNodeModel.Values<float>(matrix[0]));
        var cube = new OneNodeModel("ArrayFeatureExtractor", _ => { }, opset: 1)
            .Input("X", [.. Enumerable.Range(0, 12).Select(i => (float)i)], 2, 2, 3).Input("I", [2L, 0L], 1, 2).Outputs("Z").Run();
        Assert.Equal([2f, 0f, 5f, 3f, 8f, 6f, 11f, 9f], OneNodeModel.Values<float>(cube[0]));
        Assert.Equal([2, 2, 2], Assert.IsType<OnnxTensor<float>>(cube[0]).Shape.ToArray());
        var strings = new OneNodeModel("ArrayFeatureExtractor", _ => { }, opset: 1)
            .Input("X", ["a", "b", "c"], 3).Input("I", [2L], 1).Outputs("Z").Run();
        Assert.Equal(["c"], OneNodeModel.Values<string>(strings[0]));
        Assert.Equal([1, 1], Assert.IsType<OnnxTensor<string>>(strings[0]).Shape.ToArray());
    }

    [Fact]
    public void Array_feature_extractor_rejects_an_index_out_of_range_naming_it()
    {
        var error = new OneNodeModel("ArrayFeatureExtractor", _ => { }, opset: 1)
            .Input("X", [0f, 1f, 2f], 1, 3).Input("I", [3L], 1).Outputs("Z").RunError();
        Assert.Contains("index 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Feature_vectorizer_widths_that_overflow_are_refused()
    {
        var error = new OneNodeModel("FeatureVectorizer", b => b.Ints("inputdimensions", int.MaxValue, int.MaxValue), opset: 1)
            .Input("A", [1f], 1, 1).Input("B", [2f], 1, 1).Outputs("Y").LoadError();
        Assert.Contains("inputdimensions", error.Message, StringComparison.Ordinal);
    }
}

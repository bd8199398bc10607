using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Ml.Encoding;

/// <summary>OneHotEncoder, LabelEncoder (opsets 1, 2, 4), CategoryMapper and ZipMap; values as ONNX Runtime 1.30 computes them unless noted.</summary>
public sealed class EncodingOperatorTests
{
    [Fact]
    public void One_hot_encoder_adds_an_axis_of_categories()
    {
        var ints = new OneNodeModel("OneHotEncoder", b => b.Ints("cats_int64s", 3, 1, 7), opset: 1).Input("X", [1L, 7L, 5L, 3L], 2, 2).Outputs("Y").Run();
        Assert.Equal([0f, 1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f, 0f, 0f], OneNodeModel.Values<float>(ints[0]));
        Assert.Equal([2, 2, 3], Assert.IsType<OnnxTensor<float>>(ints[0]).Shape.ToArray());
        var floats = new OneNodeModel("OneHotEncoder", b => b.Ints("cats_int64s", 3, 1, 7), opset: 1).Input("X", [1.7f, 7f, -0.5f], 3).Outputs("Y").Run();
        Assert.Equal([0f, 1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f], OneNodeModel.Values<float>(floats[0]));
        var strings = new OneNodeModel("OneHotEncoder", b => b.Strings("cats_strings", "a", "b"), opset: 1).Input("X", ["b", "z"], 1, 2, 1).Outputs("Y").Run();
        Assert.Equal([0f, 1f, 0f, 0f], OneNodeModel.Values<float>(strings[0]));
    }

    [Fact]
    public void One_hot_encoder_with_zeros_0_fails_on_an_unknown_category()
    {
        var error = new OneNodeModel("OneHotEncoder", b => b.Ints("cats_int64s", 3, 1, 7).Int("zeros", 0), opset: 1).Input("X", [1L, 5L], 2).Outputs("Y").RunError();
        Assert.Contains("'5'", error.Message, StringComparison.Ordinal);
        var both = new OneNodeModel("OneHotEncoder", b => b.Ints("cats_int64s", 1).Strings("cats_strings", "a"), opset: 1).Input("X", [1L], 1).Outputs("Y").LoadError();
        Assert.Contains("exactly one of cats_int64s and cats_strings", both.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_encoder_opset_1_maps_strings_to_indices_and_back()
    {
        var toInt = new OneNodeModel("LabelEncoder", b => b.Strings("classes_strings", "a", "b", "c").Int("default_int64", 9), opset: 1)
            .Input("X", ["b", "c", "z", "a"], 4).Outputs("Y").Run();
        Assert.Equal([1L, 2L, 9L, 0L], OneNodeModel.Values<long>(toInt[0]));
        var toString = new OneNodeModel("LabelEncoder", b => b.Strings("classes_strings", "a", "b", "c"), opset: 1)
            .Input("X", [1L, 7L], 2).Outputs("Y").Run();
        Assert.Equal(["b", "_Unused"], OneNodeModel.Values<string>(toString[0]));
    }

    [Fact]
    public void Label_encoder_opset_2_maps_keys_to_values_with_typed_defaults()
    {
        var floatToString = new OneNodeModel("LabelEncoder", b => b.Floats("keys_floats", 0.5f, float.NaN, 2f).Strings("values_strings", "half", "nan", "two"), opset: 2)
            .Input("X", [2f, float.NaN, 0.5f, 3f], 4).Outputs("Y").Run();
        Assert.Equal(["two", "_Unused", "half", "_Unused"], OneNodeModel.Values<string>(floatToString[0]));
        var stringToFloat = new OneNodeModel("LabelEncoder", b => b.Strings("keys_strings", "a", "b").Floats("values_floats", 1.5f, 2.5f), opset: 2)
            .Input("X", ["a", "q", "b"], 3).Outputs("Y").Run();
        var values = OneNodeModel.Values<float>(stringToFloat[0]);
        Assert.Equal([1.5f, 0f, 2.5f], values);
        Assert.True(float.IsNegative(values[1]), "default_float is -0.0");
        var repeated = new OneNodeModel("LabelEncoder", b => b.Ints("keys_int64s", 1, 1).Ints("values_int64s", 10, 20), opset: 2)
            .Input("X", [1L], 1).Outputs("Y").Run();
        Assert.Equal([10L], OneNodeModel.Values<long>(repeated[0]));
    }

    [Fact]
    public void Label_encoder_opset_4_takes_tensors_NaN_keys_and_the_last_repeated_key()
    {
        var int16 = new OneNodeModel("LabelEncoder", b => b.Strings("keys_strings", "a", "b")
                .Tensor("values_tensor", new OnnxTensor<short>([3, 4], 2)).Tensor("default_tensor", new OnnxTensor<short>([42], 1)), opset: 4)
            .Input("X", ["b", "x", "a"], 3).Outputs("Y").Run();
        Assert.Equal([(short)4, (short)42, (short)3], OneNodeModel.Values<short>(int16[0]));
        var nanKeys = new OneNodeModel("LabelEncoder", b => b.Tensor("keys_tensor", new OnnxTensor<double>([double.NaN, 2], 2)).Ints("values_int64s", 5, 6), opset: 4)
            .Input("X", [double.NaN, 2.0, 0.0], 3).Outputs("Y").Run();
        Assert.Equal([5L, 6L, -1L], OneNodeModel.Values<long>(nanKeys[0]));

        // The specification: "If a key is repeated, the last key takes precedence" (ONNX Runtime 1.30 keeps the first).
        var repeated = new OneNodeModel("LabelEncoder", b => b.Ints("keys_int64s", 1, 1).Ints("values_int64s", 10, 20), opset: 4)
            .Input("X", [1L], 1).Outputs("Y").Run();
        Assert.Equal([20L], OneNodeModel.Values<long>(repeated[0]));
    }

    [Fact]
    public void Label_encoder_whose_input_type_differs_from_its_keys_is_refused()
    {
        var error = new OneNodeModel("LabelEncoder", b => b.Strings("keys_strings", "a").Ints("values_int64s", 1), opset: 2)
            .Input("X", [1L], 1).Outputs("Y").LoadError();
        Assert.Contains("the input is int64 but the keys are string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Category_mapper_maps_both_ways_with_defaults()
    {
        var toInt = new OneNodeModel("CategoryMapper", b => b.Strings("cats_strings", "a", "b").Ints("cats_int64s", 5, 6).Int("default_int64", 99), opset: 1)
            .Input("X", ["b", "z", "a"], 1, 3).Outputs("Y").Run();
        Assert.Equal([6L, 99L, 5L], OneNodeModel.Values<long>(toInt[0]));
        var toString = new OneNodeModel("CategoryMapper", b => b.Strings("cats_strings", "a", "b").Ints("cats_int64s", 5, 6), opset: 1)
            .Input("X", [6L, 1L], 2).Outputs("Y").Run();
        Assert.Equal(["b", "_Unused"], OneNodeModel.Values<string>(toString[0]));
    }

    [Fact]
    public void Zip_map_pairs_each_row_with_the_labels()
    {
        var outputs = new OneNodeModel("ZipMap", b => b.Strings("classlabels_strings", "A", "B"), opset: 1)
            .Input("X", [0.25f, 0.75f, 1f, 0f], 2, 2).Outputs("Z").Run();
        var maps = Assert.IsType<OnnxMapSequence<string>>(outputs[0]);
        Assert.Equal(2, maps.Count);
        Assert.Equal(0.75f, maps[0]["B"]);
        Assert.Equal(1f, maps[1]["A"]);
        var mismatch = new OneNodeModel("ZipMap", b => b.Ints("classlabels_int64s", 0, 1, 2), opset: 1)
            .Input("X", [0.25f, 0.75f], 1, 2).Outputs("Z").LoadError();
        Assert.Contains("2 columns but there are 3 labels", mismatch.Message, StringComparison.Ordinal);
    }
}

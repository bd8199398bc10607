using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Tensors;

public sealed class OnnxValueTests
{
    [Fact]
    public void A_tensor_whose_data_does_not_fill_its_shape_exactly_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new OnnxTensor<float>([1, 2, 3], 2, 2));
        Assert.Throws<ArgumentException>(() => new OnnxTensor<float>([1, 2, 3, 4, 5], 2, 2));
        Assert.Throws<ArgumentException>(() => new OnnxTensor<float>([1], -1));
    }

    [Fact]
    public void A_tensor_describes_its_type_and_reshapes_without_copying()
    {
        var t = new OnnxTensor<long>([1, 2, 3, 4, 5, 6], 2, 3);

        var r = t.Reshape([3, 2]);
        r[0] = 10;

        Assert.Equal("tensor(int64)[2,3]", t.ToString());
        Assert.Equal("tensor(int64)[2,3]", t.Type.ToString());
        Assert.Equal(10, t[0]);
        Assert.Equal(3, t.Dim(-1));
        Assert.Throws<ArgumentException>(() => t.Reshape([4, 2]));
    }

    [Fact]
    public void A_map_sequence_gives_each_row_as_a_map_of_label_to_probability()
    {
        var maps = new OnnxMapSequence<string>(["no", "yes"], [0.9f, 0.1f, 0.3f, 0.7f]);

        Assert.Equal(2, maps.Count);
        Assert.Equal(ElementType.String, maps.KeyType);
        Assert.Equal("seq(map(string,tensor(float)))", maps.Type.ToString());
        Assert.Equal(0.7f, maps[1]["yes"]);
        Assert.Throws<ArgumentException>(() => new OnnxMapSequence<long>([0, 1, 2], [0.5f, 0.5f]));
        Assert.Throws<NotSupportedException>(() => new OnnxMapSequence<int>([0], [1f]));
    }

    [Fact]
    public void Dims_keep_their_symbols_and_type_infos_compare_by_value()
    {
        var a = OnnxTypeInfo.Tensor(ElementType.Float, [new OnnxDim("N"), new OnnxDim(4), OnnxDim.Unknown]);
        var b = OnnxTypeInfo.Tensor(ElementType.Float, [new OnnxDim("N"), new OnnxDim(4), OnnxDim.Unknown]);

        Assert.Equal("tensor(float)[N,4,?]", a.ToString());
        Assert.Equal(a, b);
        Assert.NotEqual(a, OnnxTypeInfo.Tensor(ElementType.Float, null));
    }
}

using System.Text;
using Escala.Onnx.Protobuf;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Protobuf;

public sealed class TensorProtoTests
{
    public static TheoryData<OnnxTensor> EveryType() =>
    [
        new OnnxTensor<float>([1.5f, -2, float.NaN, float.PositiveInfinity], 2, 2),
        new OnnxTensor<double>([1.5, -2e300], 2),
        new OnnxTensor<long>([long.MinValue, 0, long.MaxValue], 3),
        new OnnxTensor<int>([int.MinValue, 7], 2),
        new OnnxTensor<short>([short.MinValue, 7], 2),
        new OnnxTensor<sbyte>([-128, 127], 2),
        new OnnxTensor<byte>([0, 255], 2),
        new OnnxTensor<ushort>([0, 65535], 2),
        new OnnxTensor<uint>([0, uint.MaxValue], 2),
        new OnnxTensor<ulong>([0, ulong.MaxValue], 2),
        new OnnxTensor<Half>([(Half)1.5, Half.NegativeInfinity], 2),
        new OnnxTensor<bool>([true, false, true], 3),
        new OnnxTensor<string>(["a", "", "ünï"], 3),
        OnnxTensor<float>.Scalar(3),
        new OnnxTensor<float>([], 0, 4),
    ];

    [Theory]
    [MemberData(nameof(EveryType))]
    public void Every_element_type_round_trips_through_raw_data(OnnxTensor tensor)
    {
        var bytes = TensorProtoConverter.FromTensor(tensor, "t").ToByteArray();
        var back = TensorProtoConverter.ToTensor(TensorProto.Parse(bytes));

        Assert.Equal(tensor.ElementType, back.ElementType);
        Assert.Equal(tensor.ShapeArray(), back.ShapeArray());
        Assert.Equal(Values(tensor), Values(back));
    }

    [Fact]
    public void Typed_fields_are_read_for_every_type()
    {
        var f = new TensorProto { DataType = (int)ElementType.Float, Dims = { 2 }, FloatData = { 1, 2 } };
        var d = new TensorProto { DataType = (int)ElementType.Double, Dims = { 1 }, DoubleData = { 2.5 } };
        var l = new TensorProto { DataType = (int)ElementType.Int64, Dims = { 1 }, Int64Data = { -9 } };
        var i8 = new TensorProto { DataType = (int)ElementType.Int8, Dims = { 2 }, Int32Data = { -3, 4 } };
        var u32 = new TensorProto { DataType = (int)ElementType.UInt32, Dims = { 1 }, UInt64Data = { 4_000_000_000 } };
        var h = new TensorProto { DataType = (int)ElementType.Float16, Dims = { 1 }, Int32Data = { BitConverter.HalfToUInt16Bits((Half)0.5) } };
        var b = new TensorProto { DataType = (int)ElementType.Bool, Dims = { 2 }, Int32Data = { 1, 0 } };
        var s = new TensorProto { DataType = (int)ElementType.String, Dims = { 1 }, StringData = { Encoding.UTF8.GetBytes("x") } };

        Assert.Equal([1f, 2f], Read<float>(f));
        Assert.Equal([2.5], Read<double>(d));
        Assert.Equal([-9L], Read<long>(l));
        Assert.Equal([(sbyte)-3, (sbyte)4], Read<sbyte>(i8));
        Assert.Equal([4_000_000_000u], Read<uint>(u32));
        Assert.Equal([(Half)0.5], Read<Half>(h));
        Assert.Equal([true, false], Read<bool>(b));
        Assert.Equal(["x"], Read<string>(s));
    }

    [Fact]
    public void External_data_is_refused_with_the_file_it_names()
    {
        var proto = new TensorProto { Name = "W", DataType = 1, Dims = { 4 }, DataLocation = TensorProto.DataLocationExternal };
        proto.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });

        var e = Assert.Throws<OnnxModelException>(() => TensorProtoConverter.ToTensor(TensorProto.Parse(proto.ToByteArray())));

        Assert.Contains("'W'", e.Message);
        Assert.Contains("weights.bin", e.Message);
    }

    [Fact]
    public void A_value_count_that_does_not_match_the_dims_is_refused()
    {
        var proto = new TensorProto { Name = "W", DataType = 1, Dims = { 3 }, FloatData = { 1, 2 } };
        var raw = new TensorProto { Name = "R", DataType = 1, Dims = { 1_000_000_000 }, RawData = new byte[8] };

        Assert.Contains("need 3", Assert.Throws<OnnxModelException>(() => TensorProtoConverter.ToTensor(proto)).Message);
        Assert.Contains("raw_data", Assert.Throws<OnnxModelException>(() => TensorProtoConverter.ToTensor(raw)).Message);
    }

    [Fact]
    public void Unsupported_element_types_are_named()
    {
        var proto = new TensorProto { Name = "C", DataType = (int)ElementType.Complex64, Dims = { 1 }, RawData = new byte[8] };

        Assert.Contains("complex64", Assert.Throws<OnnxModelException>(() => TensorProtoConverter.ToTensor(proto)).Message);
    }

    private static T[] Read<T>(TensorProto proto) => ((OnnxTensor<T>)TensorProtoConverter.ToTensor(TensorProto.Parse(proto.ToByteArray()))).ToArray();

    private static object?[] Values(OnnxTensor t) => t switch
    {
        OnnxTensor<float> x => [.. x.ToArray().Cast<object?>()],
        OnnxTensor<double> x => [.. x.ToArray().Cast<object?>()],
        OnnxTensor<long> x => [.. x.ToArray().Cast<object?>()],
        OnnxTensor<int> x => [.. x.ToArray().Cast<object?>()],
        OnnxTensor<short> x => [.. x.ToArray().Cast<object?>()],
        OnnxTensor<sbyte> x => [.. x.ToArray().Cast<object?>()],
        OnnxTensor<byte> x => [.. x.ToArray().Cast<object?>()],
        OnnxTensor<ushort> x => [.. x.ToArray().Cast<object?>()],
        OnnxTensor<uint> x => [.. x.ToArray().Cast<object?>()],
        OnnxTensor<ulong> x => [.. x.ToArray().Cast<object?>()],
        OnnxTensor<Half> x => [.. x.ToArray().Cast<object?>()],
        OnnxTensor<bool> x => [.. x.ToArray().Cast<object?>()],
        OnnxTensor<string> x => [.. x.ToArray().Cast<object?>()],
        _ => throw new NotSupportedException(),
    };
}

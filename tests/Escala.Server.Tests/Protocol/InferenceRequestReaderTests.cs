using System.Text;
using Escala.Onnx.Tensors;
using Escala.Server.Protocol;

namespace Escala.Server.Tests.Protocol;

public sealed class InferenceRequestReaderTests
{
    private static readonly OnnxValueInfo[] Signature =
    [
        new("x", OnnxTypeInfo.Tensor(ElementType.Float, [new OnnxDim("N"), new OnnxDim(2)])),
        new("ids", OnnxTypeInfo.Tensor(ElementType.Int64, [new OnnxDim("N")])),
    ];

    private static InferenceRequest Read(string json, IReadOnlyList<OnnxValueInfo>? signature = null) =>
        InferenceRequestReader.Read(Encoding.UTF8.GetBytes(json), signature);

    private static InferenceProtocolException Refused(string json, IReadOnlyList<OnnxValueInfo>? signature = null) =>
        Assert.Throws<InferenceProtocolException>(() => Read(json, signature));

    [Fact]
    public void Inputs_of_every_datatype_become_typed_tensors()
    {
        var request = Read("""
            {"id":"r1","inputs":[
              {"name":"f","shape":[2,2],"datatype":"FP32","data":[1.5,-2,"NaN","-Infinity"]},
              {"name":"d","shape":[1],"datatype":"FP64","data":[1e300]},
              {"name":"l","shape":[2],"datatype":"INT64","data":[9007199254740993,"-9223372036854775808"]},
              {"name":"i","shape":[1],"datatype":"INT32","data":[-7]},
              {"name":"b","shape":[3],"datatype":"BOOL","data":[true,false,true]},
              {"name":"s","shape":[2],"datatype":"BYTES","data":["a","ünï"]},
              {"name":"u","shape":[1],"datatype":"UINT8","data":[255]},
              {"name":"h","shape":[1],"datatype":"FP16","data":[0.5]}
            ],"outputs":[{"name":"y"}]}
            """);

        Assert.Equal("r1", request.Id);
        Assert.Equal(["y"], request.RequestedOutputs!);
        var f = Assert.IsType<OnnxTensor<float>>(request.Inputs["f"]);
        Assert.Equal([2, 2], f.ShapeArray());
        Assert.Equal(1.5f, f[0]);
        Assert.True(float.IsNaN(f[2]));
        Assert.Equal(float.NegativeInfinity, f[3]);
        Assert.Equal(1e300, Assert.IsType<OnnxTensor<double>>(request.Inputs["d"])[0]);
        Assert.Equal([9007199254740993L, long.MinValue], Assert.IsType<OnnxTensor<long>>(request.Inputs["l"]).ToArray());
        Assert.Equal(-7, Assert.IsType<OnnxTensor<int>>(request.Inputs["i"])[0]);
        Assert.Equal([true, false, true], Assert.IsType<OnnxTensor<bool>>(request.Inputs["b"]).ToArray());
        Assert.Equal(["a", "ünï"], Assert.IsType<OnnxTensor<string>>(request.Inputs["s"]).ToArray());
        Assert.Equal((byte)255, Assert.IsType<OnnxTensor<byte>>(request.Inputs["u"])[0]);
        Assert.Equal((Half)0.5, Assert.IsType<OnnxTensor<Half>>(request.Inputs["h"])[0]);
    }

    [Fact]
    public void Nested_data_and_any_member_order_are_accepted()
    {
        var request = Read("""{"inputs":[{"data":[[1,2],[3,4]],"datatype":"FP32","name":"x","shape":[2,2]}]}""");

        Assert.Equal([1f, 2, 3, 4], ((OnnxTensor<float>)request.Inputs["x"]).ToArray());
    }

    [Fact]
    public void A_shape_that_does_not_match_the_data_is_refused_naming_the_input()
    {
        var fewer = Refused("""{"inputs":[{"name":"x","shape":[2,2],"datatype":"FP32","data":[1,2,3]}]}""");
        var more = Refused("""{"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[1,2,3]}]}""");

        Assert.Equal(ProtocolErrorKind.ShapeMismatch, fewer.Kind);
        Assert.Equal("x", fewer.InputName);
        Assert.Contains("3 data elements", fewer.Message);
        Assert.Equal(ProtocolErrorKind.ShapeMismatch, more.Kind);
    }

    [Fact]
    public void A_huge_declared_shape_is_refused_before_anything_is_allocated()
    {
        var e = Refused("""{"inputs":[{"name":"x","shape":[1000000,1000],"datatype":"FP32","data":[1]}]}""");

        Assert.Equal(ProtocolErrorKind.ShapeMismatch, e.Kind);
        Assert.Contains("too short", e.Message);
    }

    [Theory]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":["abc"]}]}""", ProtocolErrorKind.InvalidValue, "\"abc\"")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"INT32","data":[1.5]}]}""", ProtocolErrorKind.InvalidValue, "1.5")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"INT32","data":[3000000000]}]}""", ProtocolErrorKind.InvalidValue, "out of range")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"UINT8","data":[-1]}]}""", ProtocolErrorKind.InvalidValue, "out of range")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"BOOL","data":["yes"]}]}""", ProtocolErrorKind.InvalidValue, "BOOL")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"COMPLEX","data":[1]}]}""", ProtocolErrorKind.UnknownDatatype, "COMPLEX")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","data":[1]}]}""", ProtocolErrorKind.MissingField, "shape")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"data":[1]}]}""", ProtocolErrorKind.MissingField, "datatype")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32"}]}""", ProtocolErrorKind.MissingField, "data")]
    [InlineData("""{"inputs":[{"shape":[1],"datatype":"FP32","data":[1]}]}""", ProtocolErrorKind.MissingField, "name")]
    [InlineData("""{"inputs":[{"name":"x","shape":[-1],"datatype":"FP32","data":[1]}]}""", ProtocolErrorKind.ShapeMismatch, "shape")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1],"parameters":{"binary_data_size":4}}]}""", ProtocolErrorKind.Unsupported, "binary")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]},{"name":"x","shape":[1],"datatype":"FP32","data":[2]}]}""", ProtocolErrorKind.DuplicateInput, "more than once")]
    [InlineData("""{"input":[]}""", ProtocolErrorKind.MissingField, "inputs")]
    [InlineData("""{"inputs":[""", ProtocolErrorKind.InvalidJson, "JSON")]
    [InlineData("""[1,2]""", ProtocolErrorKind.InvalidJson, "object")]
    [InlineData("""{"inputs":[]} trailing""", ProtocolErrorKind.InvalidJson, "JSON")]
    public void Bad_bodies_are_refused_with_a_typed_error(string json, ProtocolErrorKind kind, string mentioned)
    {
        var e = Refused(json);

        Assert.Equal(kind, e.Kind);
        Assert.Contains(mentioned, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Inputs_are_checked_against_the_model_signature()
    {
        const string Good = """{"name":"ids","shape":[1],"datatype":"INT64","data":[4]}""";

        var unknown = Refused($$"""{"inputs":[{{Good}},{"name":"z","shape":[1,2],"datatype":"FP32","data":[1,2]}]}""", Signature);
        var missing = Refused($$"""{"inputs":[{{Good}}]}""", Signature);
        var datatype = Refused($$"""{"inputs":[{{Good}},{"name":"x","shape":[1,2],"datatype":"FP64","data":[1,2]}]}""", Signature);
        var shape = Refused($$"""{"inputs":[{{Good}},{"name":"x","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}""", Signature);
        var ok = Read($$"""{"inputs":[{{Good}},{"name":"x","shape":[1,2],"datatype":"FP32","data":[1,2]}]}""", Signature);

        Assert.Equal((ProtocolErrorKind.UnknownInput, "z"), (unknown.Kind, unknown.InputName));
        Assert.Contains("x, ids", unknown.Message);
        Assert.Equal((ProtocolErrorKind.MissingInput, "x"), (missing.Kind, missing.InputName));
        Assert.Equal((ProtocolErrorKind.DatatypeMismatch, "x"), (datatype.Kind, datatype.InputName));
        Assert.Contains("FP32", datatype.Message);
        Assert.Equal((ProtocolErrorKind.ShapeNotAccepted, "x"), (shape.Kind, shape.InputName));
        Assert.Contains("N,2", shape.Message);
        Assert.Equal(2, ok.Inputs.Count);
    }
}

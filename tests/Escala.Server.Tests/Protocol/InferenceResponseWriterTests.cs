using System.Text;
using System.Text.Json;
using Escala.Onnx.Tensors;
using Escala.Server.Protocol;

namespace Escala.Server.Tests.Protocol;

public sealed class InferenceResponseWriterTests
{
    [Fact]
    public void Tensors_are_written_with_shape_datatype_and_special_floats_as_strings()
    {
        var bytes = InferenceResponseWriter.ToBytes("credit", "3", "r1",
        [
            new NamedValue("p", new OnnxTensor<float>([0.25f, float.NaN, float.PositiveInfinity, float.NegativeInfinity], 2, 2)),
            new NamedValue("label", new OnnxTensor<long>([1, 9007199254740993], 2)),
            new NamedValue("ok", new OnnxTensor<bool>([true], 1)),
            new NamedValue("name", new OnnxTensor<string>(["a\"b"], 1)),
        ]);

        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        Assert.Equal("credit", root.GetProperty("model_name").GetString());
        Assert.Equal("3", root.GetProperty("model_version").GetString());
        Assert.Equal("r1", root.GetProperty("id").GetString());
        var p = root.GetProperty("outputs")[0];
        Assert.Equal("FP32", p.GetProperty("datatype").GetString());
        Assert.Equal("[2,2]", p.GetProperty("shape").GetRawText());
        Assert.Equal("""[0.25,"NaN","Infinity","-Infinity"]""", p.GetProperty("data").GetRawText());
        Assert.Equal("[1,9007199254740993]", root.GetProperty("outputs")[1].GetProperty("data").GetRawText());
        Assert.Equal("BOOL", root.GetProperty("outputs")[2].GetProperty("datatype").GetString());
        Assert.Equal("BYTES", root.GetProperty("outputs")[3].GetProperty("datatype").GetString());
        Assert.Equal("a\"b", root.GetProperty("outputs")[3].GetProperty("data")[0].GetString());
    }

    [Fact]
    public void A_map_sequence_is_written_as_seq_map_objects()
    {
        var bytes = InferenceResponseWriter.ToBytes("m", null, null,
        [
            new NamedValue("probabilities", new OnnxMapSequence<long>([0, 1], [0.9f, 0.1f, 0.2f, 0.8f])),
            new NamedValue("named", new OnnxMapSequence<string>(["no", "yes"], [0.5f, 0.5f])),
        ]);

        var json = Encoding.UTF8.GetString(bytes);

        Assert.Contains("""{"name":"probabilities","shape":[2],"datatype":"SEQ_MAP","data":[{"0":0.9,"1":0.1},{"0":0.2,"1":0.8}]}""", json);
        Assert.Contains("""{"name":"named","shape":[1],"datatype":"SEQ_MAP","data":[{"no":0.5,"yes":0.5}]}""", json);
        Assert.DoesNotContain("model_version", json);
    }

    [Fact]
    public void A_written_tensor_reads_back_as_the_same_tensor()
    {
        var original = new OnnxTensor<double>([1.5, double.NaN, -2e-300], 3);
        var response = InferenceResponseWriter.ToBytes("m", null, null, [new NamedValue("x", original)]);
        using var doc = JsonDocument.Parse(response);
        var output = doc.RootElement.GetProperty("outputs")[0].GetRawText();

        var request = InferenceRequestReader.Read(Encoding.UTF8.GetBytes($$"""{"inputs":[{{output}}]}"""));

        var back = Assert.IsType<OnnxTensor<double>>(request.Inputs["x"]);
        Assert.Equal(original.ToArray(), back.ToArray());
    }
}

using System.Text;
using Escala.Onnx.Building;
using Escala.Onnx.Graph;
using Escala.Onnx.Protobuf;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Protobuf;

public sealed class ModelRoundTripTests
{
    [Fact]
    public void A_built_model_reads_back_with_every_field_it_was_given()
    {
        var subgraph = new GraphProto { Name = "body" };
        subgraph.Node.Add(new NodeProto { OpType = "Identity", Input = { "a" }, Output = { "b" } });
        var bytes = new OnnxModelBuilder("g")
            .Opset("", 17).Opset("ai.onnx.ml", 3)
            .Producer("tests", "1.2")
            .Metadata("owner", "risk")
            .Input("X", ElementType.Float, "N", 4)
            .Input("S", OnnxTypeInfo.Tensor(ElementType.String, [OnnxDim.Unknown]))
            .Output("Y", OnnxTypeInfo.SequenceOfMaps(ElementType.Int64))
            .Initializer("W", new float[] { 1, 2, 3, 4 }, 2, 2)
            .Node("Custom", ["X", "", "W"], ["Y"], a => a
                .Int("i", -7).Float("f", 0.25f).String("s", "héllo")
                .Ints("is", 1, -2, 3).Floats("fs", 1.5f, -2.5f).Strings("ss", "a", "b")
                .Tensor("t", new OnnxTensor<long>([5, 6], 2))
                .Tensors("ts", OnnxTensor<double>.Scalar(1.5), new OnnxTensor<bool>([true, false], 2))
                .Graph("g", subgraph).Graphs("gs", subgraph, subgraph)
                .Type("tp", OnnxTypeInfo.Map(ElementType.String, OnnxTypeInfo.Tensor(ElementType.Float))),
                domain: "ai.onnx.ml", name: "n1")
            .ToBytes();

        var model = ModelProto.Parse(bytes);

        Assert.Equal("tests", model.ProducerName);
        Assert.Equal("1.2", model.ProducerVersion);
        Assert.Equal(8, model.IrVersion);
        Assert.Equal([("", 17L), ("ai.onnx.ml", 3L)], model.OpsetImport.Select(o => (o.Domain, o.Version)));
        Assert.Equal("risk", Assert.Single(model.MetadataProps).Value);
        var graph = model.Graph!;
        Assert.Equal("g", graph.Name);
        Assert.Equal("tensor(float)[N,4]", TypeProtoConverter.ToTypeInfo(graph.Input[0].Type).ToString());
        Assert.Equal("tensor(string)[?]", TypeProtoConverter.ToTypeInfo(graph.Input[1].Type).ToString());
        Assert.Equal("seq(map(int64,tensor(float)))", TypeProtoConverter.ToTypeInfo(graph.Output[0].Type).ToString());
        var w = Assert.IsType<OnnxTensor<float>>(TensorProtoConverter.ToTensor(Assert.Single(graph.Initializer)));
        Assert.Equal([1f, 2, 3, 4], w.ToArray());
        Assert.Equal([2, 2], w.ShapeArray());

        var node = Assert.Single(graph.Node);
        Assert.Equal(("n1", "Custom", "ai.onnx.ml"), (node.Name, node.OpType, node.Domain));
        Assert.Equal(["X", "", "W"], node.Input);
        var attrs = node.Attribute.ToDictionary(a => a.Name);
        Assert.Equal(-7, attrs["i"].I);
        Assert.Equal(0.25f, attrs["f"].F);
        Assert.Equal("héllo", Encoding.UTF8.GetString(attrs["s"].S!));
        Assert.Equal([1L, -2, 3], attrs["is"].Ints);
        Assert.Equal([1.5f, -2.5f], attrs["fs"].Floats);
        Assert.Equal(["a", "b"], attrs["ss"].Strings.Select(s => Encoding.UTF8.GetString(s)));
        Assert.Equal([5L, 6], ((OnnxTensor<long>)TensorProtoConverter.ToTensor(attrs["t"].T!)).ToArray());
        Assert.Equal(1.5, ((OnnxTensor<double>)TensorProtoConverter.ToTensor(attrs["ts"].Tensors[0])).Span[0]);
        Assert.Equal([true, false], ((OnnxTensor<bool>)TensorProtoConverter.ToTensor(attrs["ts"].Tensors[1])).ToArray());
        Assert.Equal("Identity", attrs["g"].G!.Node[0].OpType);
        Assert.Equal(2, attrs["gs"].Graphs.Count);
        Assert.Equal("map(string,tensor(float))", TypeProtoConverter.ToTypeInfo(attrs["tp"].Tp).ToString());
        Assert.All(attrs.Values, a => Assert.NotEqual(AttributeType.Undefined, a.Type));
    }

    [Fact]
    public void Serializing_a_parsed_model_gives_the_same_bytes()
    {
        var bytes = new OnnxModelBuilder()
            .Input("X", ElementType.Float, "N", 3)
            .Output("Y", ElementType.Float, "N", 3)
            .Initializer("B", new float[] { 1, 2, 3 }, 3)
            .Node("Add", ["X", "B"], ["Y"])
            .ToBytes();

        Assert.Equal(bytes, ModelProto.Parse(bytes).ToByteArray());
    }

    [Fact]
    public void Long_messages_get_multi_byte_length_prefixes_that_read_back()
    {
        var data = Enumerable.Range(0, 100_000).Select(i => (float)i).ToArray();
        var bytes = new OnnxModelBuilder()
            .Input("X", ElementType.Float, 100_000)
            .Output("Y", ElementType.Float, 100_000)
            .Initializer("B", data, 100_000)
            .Node("Add", ["X", "B"], ["Y"])
            .ToBytes();

        var init = ModelProto.Parse(bytes).Graph!.Initializer[0];
        Assert.Equal(data, ((OnnxTensor<float>)TensorProtoConverter.ToTensor(init)).ToArray());
    }
}

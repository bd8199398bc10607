using Escala.Onnx.Building;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Session;

public sealed class ModelLoadErrorTests
{
    [Fact]
    public void An_unsupported_op_is_refused_naming_node_op_domain_and_opset()
    {
        var bytes = new OnnxModelBuilder()
            .Opset("", 15)
            .Input("X", ElementType.Float, 1, 3, 8, 8)
            .Output("Y", ElementType.Float)
            .Node("Conv", ["X", "X"], ["Y"], name: "conv1")
            .ToBytes();

        var e = Assert.Throws<OnnxModelException>(() => InferenceSession.Load(bytes));

        Assert.Equal("conv1", e.NodeName);
        Assert.Equal("Conv", e.OpType);
        Assert.Equal("ai.onnx", e.Domain);
        Assert.Equal(15, e.Opset);
        Assert.Contains("'conv1'", e.Message);
        Assert.Contains("Conv", e.Message);
        Assert.Contains("opset 15", e.Message);
    }

    [Fact]
    public void An_unknown_domain_is_refused()
    {
        var bytes = new OnnxModelBuilder()
            .Opset("", 15).Opset("com.microsoft", 1)
            .Input("X", ElementType.Float, 3)
            .Output("Y", ElementType.Float, 3)
            .Node("FusedGemm", ["X"], ["Y"], domain: "com.microsoft")
            .ToBytes();

        var e = Assert.Throws<OnnxModelException>(() => InferenceSession.Load(bytes));

        Assert.Contains("com.microsoft", e.Message);
        Assert.Contains("not supported", e.Message);
    }

    [Fact]
    public void An_opset_newer_than_the_engine_knows_is_refused()
    {
        var bytes = new OnnxModelBuilder()
            .Opset("", 99)
            .Input("X", ElementType.Float, 3)
            .Output("Y", ElementType.Float, 3)
            .Node("Relu", ["X"], ["Y"])
            .ToBytes();

        Assert.Contains("opset 99", Assert.Throws<OnnxModelException>(() => InferenceSession.Load(bytes)).Message);
    }

    [Fact]
    public void An_op_older_than_its_first_supported_version_is_refused()
    {
        var bytes = new OnnxModelBuilder()
            .Opset("", 6)
            .Input("X", ElementType.Float, 3)
            .Output("Y", ElementType.Float, 3)
            .Node("Add", ["X", "X"], ["Y"])
            .ToBytes();

        Assert.Contains("from ai.onnx opset 7", Assert.Throws<OnnxModelException>(() => InferenceSession.Load(bytes)).Message);
    }

    [Fact]
    public void An_unsupported_input_type_names_the_node_and_the_type()
    {
        var bytes = new OnnxModelBuilder()
            .Input("X", ElementType.Bool, 3)
            .Output("Y", ElementType.Bool, 3)
            .Node("Sigmoid", ["X"], ["Y"], name: "sig")
            .ToBytes();

        var e = Assert.Throws<OnnxModelException>(() => InferenceSession.Load(bytes));

        Assert.Equal("sig", e.NodeName);
        Assert.Contains("bool", e.Message);
    }

    [Fact]
    public void A_declared_output_type_that_the_graph_does_not_compute_is_refused()
    {
        var bytes = new OnnxModelBuilder()
            .Input("X", ElementType.Float, 3)
            .Output("Y", ElementType.Int64, 3)
            .Node("Relu", ["X"], ["Y"])
            .ToBytes();

        Assert.Contains("'Y'", Assert.Throws<OnnxModelException>(() => InferenceSession.Load(bytes)).Message);
    }
}

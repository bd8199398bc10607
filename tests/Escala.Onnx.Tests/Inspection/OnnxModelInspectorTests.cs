using Escala.Onnx.Building;
using Escala.Onnx.Inspection;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Inspection;

public sealed class OnnxModelInspectorTests
{
    [Fact]
    public void Each_op_is_reported_supported_or_not_with_the_reason()
    {
        var bytes = new OnnxModelBuilder()
            .Opset("", 15)
            .Input("X", ElementType.Float, "N", 4)
            .Output("Y", ElementType.Float)
            .Node("Relu", ["X"], ["R1"])
            .Node("Relu", ["R1"], ["R2"])
            .Node("Conv", ["R2", "R2"], ["Y"], name: "conv")
            .ToBytes();

        var report = OnnxModelInspector.Inspect(bytes);

        Assert.True(report.IsOnnx);
        Assert.False(report.CanRun);
        Assert.Contains("Conv", report.Error);
        var relu = Assert.Single(report.Operators, o => o.OpType == "Relu");
        Assert.True(relu.Supported);
        Assert.Equal(2, relu.NodeCount);
        var conv = Assert.Single(report.Operators, o => o.OpType == "Conv");
        Assert.False(conv.Supported);
        Assert.Equal("conv", conv.FirstNode);
        Assert.Contains("not implemented", conv.Reason);
        Assert.Equal("X: tensor(float)[N,4]", Assert.Single(report.Inputs).ToString());
    }

    [Fact]
    public void A_runnable_model_is_reported_runnable()
    {
        var bytes = new OnnxModelBuilder()
            .Input("X", ElementType.Float, "N", 4)
            .Output("Y", ElementType.Float, "N", 4)
            .Node("Sigmoid", ["X"], ["Y"])
            .ToBytes();

        var report = OnnxModelInspector.Inspect(bytes);

        Assert.True(report.CanRun);
        Assert.Null(report.Error);
        Assert.Equal(17, report.Opsets["ai.onnx"]);
    }

    [Fact]
    public void Bytes_that_are_not_a_model_are_reported_not_thrown()
    {
        var report = OnnxModelInspector.Inspect("this is a text file, not a model"u8);

        Assert.False(report.IsOnnx);
        Assert.False(report.CanRun);
        Assert.NotNull(report.Error);
    }

    [Fact]
    public void A_missing_file_is_reported()
    {
        var report = OnnxModelInspector.InspectFile(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".onnx"));

        Assert.False(report.IsOnnx);
        Assert.Contains("Cannot read", report.Error);
    }
}

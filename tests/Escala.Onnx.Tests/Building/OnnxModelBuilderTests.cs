using Escala.Onnx.Building;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Building;

public sealed class OnnxModelBuilderTests
{
    [Fact]
    public void A_gemm_model_with_attributes_runs_as_written()
    {
        var bytes = new OnnxModelBuilder()
            .Opset("", 13)
            .Input("X", ElementType.Float, "N", 2)
            .Output("Y", ElementType.Float, "N", 3)
            .Initializer("W", new float[] { 1, 2, 3, 4, 5, 6 }, 3, 2)
            .Initializer("B", new float[] { 10, 20, 30 }, 3)
            .Node("Gemm", ["X", "W", "B"], ["Y"], a => a.Int("transB", 1).Float("alpha", 2f).Float("beta", 0.5f))
            .ToBytes();

        var y = (OnnxTensor<float>)InferenceSession.Load(bytes).Run(new OnnxTensor<float>([1, 1], 1, 2))[0];

        // X * W^T = [3, 7, 11]; * 2 = [6, 14, 22]; + 0.5 * B = [11, 24, 37]
        Assert.Equal([11f, 24f, 37f], y.ToArray());
    }

    [Fact]
    public void Without_an_explicit_import_the_model_uses_opset_17_and_its_ir_version()
    {
        var model = new OnnxModelBuilder()
            .Input("X", ElementType.Float, 1)
            .Output("X", ElementType.Float, 1)
            .Build();

        Assert.Equal(17, model.OpsetImport.Single().Version);
        Assert.Equal(8, model.IrVersion);
    }
}

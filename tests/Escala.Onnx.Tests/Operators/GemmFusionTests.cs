using Escala.Onnx.Building;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Operators;

public sealed class GemmFusionTests
{
    private static float[] Random(int n, int seed)
    {
        var r = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() - 0.5))];
    }

    [Theory]
    [InlineData(1, 8, 2)]
    [InlineData(13, 64, 2)]
    [InlineData(13, 64, 4)]
    [InlineData(29, 16, 40)]
    [InlineData(100, 33, 128)]
    public void A_relu_fused_into_gemm_gives_the_same_answer_as_a_separate_relu(int rows, int k, int n)
    {
        var w = Random(n * k, 1);
        var b = Random(n, 2);
        OnnxModelBuilder Model() => new OnnxModelBuilder()
            .Input("X", ElementType.Float, "N", k)
            .Initializer("W", w, n, k)
            .Initializer("B", b, n)
            .Node("Gemm", ["X", "W", "B"], ["H"], a => a.Int("transB", 1))
            .Node("Relu", ["H"], ["Y"]);

        // Fused: H feeds only the Relu. Not fused: H is also a graph output.
        var fused = InferenceSession.Load(Model().Output("Y", ElementType.Float, "N", n).ToBytes());
        var separate = InferenceSession.Load(Model().Output("Y", ElementType.Float, "N", n).Output("H", ElementType.Float, "N", n).ToBytes());
        var x = new OnnxTensor<float>(Random(rows * k, 3), rows, k);

        var y1 = (OnnxTensor<float>)fused.Run(x)[0];
        var outputs = separate.Run(x);
        var y2 = (OnnxTensor<float>)outputs[0];
        var h = (OnnxTensor<float>)outputs[1];

        Assert.Equal([rows, n], y1.ShapeArray());
        Assert.Equal(y2.ToArray(), y1.ToArray());
        Assert.Contains(h.ToArray(), v => v < 0);
        Assert.All(y1.ToArray(), v => Assert.True(v >= 0));
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var expected = b[j];
                for (var p = 0; p < k; p++)
                {
                    expected += x[(i * k) + p] * w[(j * k) + p];
                }

                Assert.True(Math.Abs(expected - h[(i * n) + j]) < 1e-5, $"H[{i},{j}] = {h[(i * n) + j]}, expected {expected}");
                Assert.True(Math.Abs(Math.Max(expected, 0f) - y1[(i * n) + j]) < 1e-5, $"Y[{i},{j}] = {y1[(i * n) + j]}");
            }
        }
    }
}

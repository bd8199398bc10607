using Escala.Onnx.Tensors;
using static Escala.Onnx.Tests.Operators.NodeRunner;

namespace Escala.Onnx.Tests.Operators;

/// <summary>Operators whose inputs became attributes or the reverse between opsets behave per the model's opset.</summary>
public sealed class OpsetSemanticsTests
{
    private static readonly OnnxTensor<float> Column = F([1, 2, 3], 3, 1);

    [Fact]
    public void Squeeze_and_Unsqueeze_take_axes_as_an_attribute_before_13_and_an_input_after()
    {
        var old = One<float>(11, "Squeeze", [("x", Column)], a => a.Ints("axes", 1));
        var now = One<float>(13, "Squeeze", [("x", Column)], initializers: [("axes", L(1))]);
        var oldUp = One<float>(11, "Unsqueeze", [("x", F([1, 2], 2))], a => a.Ints("axes", 0, 2));
        var nowUp = One<float>(13, "Unsqueeze", [("x", F([1, 2], 2))], initializers: [("axes", L(0, 2))]);

        Assert.Equal([3], old.ShapeArray());
        Assert.Equal([3], now.ShapeArray());
        Assert.Equal([1, 2, 1], oldUp.ShapeArray());
        Assert.Equal([1, 2, 1], nowUp.ShapeArray());
    }

    [Fact]
    public void ReduceSum_axes_are_an_attribute_before_13_and_ReduceMean_before_18()
    {
        var x = F([1, 2, 3, 4], 2, 2);

        Assert.Equal([4f, 6f], One<float>(11, "ReduceSum", [("x", x)], a => a.Ints("axes", 0).Int("keepdims", 0)).ToArray());
        Assert.Equal([4f, 6f], One<float>(13, "ReduceSum", [("x", x)], a => a.Int("keepdims", 0), [("axes", L(0))]).ToArray());
        Assert.Equal([1.5f, 3.5f], One<float>(17, "ReduceMean", [("x", x)], a => a.Ints("axes", 1).Int("keepdims", 0)).ToArray());
        Assert.Equal([1.5f, 3.5f], One<float>(18, "ReduceMean", [("x", x)], a => a.Int("keepdims", 0), [("axes", L(1))]).ToArray());
        Assert.Equal([10f], One<float>(18, "ReduceMean", [("x", x)], a => a.Int("keepdims", 0)).ToArray().Select(v => v * 4).ToArray());
    }

    [Fact]
    public void Clip_bounds_are_attributes_before_11_and_optional_inputs_after()
    {
        var x = F([-5, 0, 5], 3);

        Assert.Equal([-1f, 0, 1], One<float>(6, "Clip", [("x", x)], a => a.Float("min", -1).Float("max", 1)).ToArray());
        Assert.Equal([-1f, 0, 1], One<float>(11, "Clip", [("x", x)], initializers: [("min", OnnxTensor<float>.Scalar(-1)), ("max", OnnxTensor<float>.Scalar(1))]).ToArray());
        Assert.Equal([-5f, 0, 5], One<float>(13, "Clip", [("x", x)]).ToArray());
        Assert.Equal([(sbyte)-2, (sbyte)0, (sbyte)2], One<sbyte>(13, "Clip", [("x", new OnnxTensor<sbyte>([-5, 0, 5], 3))], initializers: [("min", OnnxTensor<sbyte>.Scalar(-2)), ("max", OnnxTensor<sbyte>.Scalar(2))]).ToArray());
    }

    [Fact]
    public void Slice_takes_attributes_before_10_and_inputs_with_steps_after()
    {
        var x = F([0, 1, 2, 3, 4, 5], 6);

        Assert.Equal([1f, 2, 3], One<float>(9, "Slice", [("x", x)], a => a.Ints("starts", 1).Ints("ends", 4)).ToArray());
        Assert.Equal([5f, 3, 1], One<float>(13, "Slice", [("x", x)], initializers: [("s", L(-1)), ("e", L(long.MinValue)), ("a", L(0)), ("st", L(-2))]).ToArray());
        Assert.Equal([1f], One<float>(13, "Slice", [("x", x)], initializers: [("s", L(1)), ("e", L(long.MaxValue)), ("a", L(0)), ("st", L(long.MaxValue))]).ToArray());
        Assert.Equal([4f], One<float>(13, "Slice", [("x", x)], initializers: [("s", L(-2)), ("e", L(long.MinValue)), ("a", L(0)), ("st", L(long.MinValue))]).ToArray());
    }

    [Fact]
    public void Split_sizes_are_an_attribute_before_13_an_input_after_and_num_outputs_from_18()
    {
        var x = F([0, 1, 2, 3, 4], 5);

        var old = NodeRunner.Run(11, "Split", [("x", x)], 2, a => a.Ints("split", 2, 3));
        var now = NodeRunner.Run(13, "Split", [("x", x)], 2, initializers: [("s", L(4, 1))]);
        var parts = NodeRunner.Run(18, "Split", [("x", x)], 2, a => a.Int("num_outputs", 2));

        Assert.Equal([2, 3], old.Select(o => ((OnnxTensor)o).Length));
        Assert.Equal([4, 1], now.Select(o => ((OnnxTensor)o).Length));
        Assert.Equal([3, 2], parts.Select(o => ((OnnxTensor)o).Length));
    }

    [Fact]
    public void TopK_k_is_an_attribute_before_10_and_an_input_after_with_largest_from_11()
    {
        var x = F([3, 1, 4, 1, 5], 5);

        var old = NodeRunner.Run(9, "TopK", [("x", x)], 2, a => a.Int("k", 2));
        var smallest = NodeRunner.Run(11, "TopK", [("x", x)], 2, a => a.Int("largest", 0), [("k", L(2))]);

        Assert.Equal([5f, 4], ((OnnxTensor<float>)old[0]).ToArray());
        Assert.Equal([4L, 2], ((OnnxTensor<long>)old[1]).ToArray());
        Assert.Equal([1f, 1], ((OnnxTensor<float>)smallest[0]).ToArray());
        Assert.Equal([1L, 3], ((OnnxTensor<long>)smallest[1]).ToArray());
    }

    [Fact]
    public void Softmax_before_13_flattens_from_the_axis_and_from_13_uses_one_axis()
    {
        var x = F([1, 1, 1, 1], 1, 2, 2);

        var old = One<float>(11, "Softmax", [("x", x)]);
        var now = One<float>(13, "Softmax", [("x", x)], a => a.Int("axis", 1));

        Assert.All(old.ToArray(), v => Assert.Equal(0.25f, v, 6));
        Assert.All(now.ToArray(), v => Assert.Equal(0.5f, v, 6));
    }

    [Fact]
    public void Cast_converts_between_integer_bool_float_and_string_types()
    {
        var doubles = new OnnxTensor<double>([-1.7, 0, 2.9, 300], 4);

        Assert.Equal([-1L, 0, 2, 300], One<long>(13, "Cast", [("x", doubles)], a => a.Int("to", (long)ElementType.Int64)).ToArray());
        Assert.Equal([true, false, true, true], One<bool>(13, "Cast", [("x", doubles)], a => a.Int("to", (long)ElementType.Bool)).ToArray());
        Assert.Equal([1, 0], One<int>(13, "Cast", [("x", new OnnxTensor<bool>([true, false], 2))], a => a.Int("to", (long)ElementType.Int32)).ToArray());
        Assert.Equal(["1.5", "-2"], One<string>(13, "Cast", [("x", F([1.5f, -2], 2))], a => a.Int("to", (long)ElementType.String)).ToArray());
        Assert.Equal([2.5f, float.NegativeInfinity], One<float>(13, "Cast", [("x", new OnnxTensor<string>(["2.5", "-INF"], 2))], a => a.Int("to", (long)ElementType.Float)).ToArray());
        Assert.Equal([7L], One<long>(13, "Cast", [("x", new OnnxTensor<int>([7], 1))], a => a.Int("to", (long)ElementType.Int64)).ToArray());
    }

    [Fact]
    public void An_unparsable_string_cast_fails_naming_the_value()
    {
        var e = Assert.Throws<OnnxRuntimeException>(() => NodeRunner.Run(13, "Cast", [("x", new OnnxTensor<string>(["abc"], 1))], attributes: a => a.Int("to", (long)ElementType.Float)));

        Assert.Contains("\"abc\"", e.Message);
    }

    [Fact]
    public void Gemm_broadcasts_a_row_bias_and_multiplies_integers_too()
    {
        var y = One<long>(13, "Gemm", [("a", new OnnxTensor<long>([1, 2, 3, 4], 2, 2))], initializers: [("b", new OnnxTensor<long>([1, 0, 0, 1], 2, 2)), ("c", L(10, 20))]);

        Assert.Equal([11L, 22, 13, 24], y.ToArray());
    }

    [Fact]
    public void MatMul_broadcasts_batches_and_promotes_vectors()
    {
        var a = F([1, 2, 3, 4, 5, 6, 7, 8], 2, 2, 2);
        var b = F([1, 1], 2);

        var y = One<float>(13, "MatMul", [("a", a), ("b", b)]);

        Assert.Equal([2, 2], y.ShapeArray());
        Assert.Equal([3f, 7, 11, 15], y.ToArray());
    }

    [Fact]
    public void A_float_matrix_product_matches_a_naive_one_for_odd_sizes()
    {
        var random = new Random(3);
        foreach (var (m, k, n) in new[] { (1, 1, 1), (5, 7, 3), (13, 33, 17), (4, 64, 16), (9, 2, 40) })
        {
            var a = Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            var b = Enumerable.Range(0, k * n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();

            var dynamic = One<float>(13, "MatMul", [("a", F(a, m, k)), ("b", F(b, k, n))]);
            var packed = One<float>(13, "MatMul", [("a", F(a, m, k))], initializers: [("b", F(b, k, n))]);
            var transposed = One<float>(13, "Gemm", [("a", F(Transpose(a, m, k), k, m))], x => x.Int("transA", 1).Int("transB", 1), [("b", F(Transpose(b, k, n), n, k))]);

            for (var i = 0; i < m; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    var expected = 0.0;
                    for (var p = 0; p < k; p++)
                    {
                        expected += a[(i * k) + p] * b[(p * n) + j];
                    }

                    Assert.Equal(expected, dynamic[(i * n) + j], 4);
                    Assert.Equal(expected, packed[(i * n) + j], 4);
                    Assert.Equal(expected, transposed[(i * n) + j], 4);
                }
            }
        }
    }

    private static float[] Transpose(float[] a, int rows, int cols)
    {
        var t = new float[a.Length];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < cols; j++)
            {
                t[(j * rows) + i] = a[(i * cols) + j];
            }
        }

        return t;
    }

    [Fact]
    public void Dropout_passes_values_through_at_inference_and_refuses_training_mode()
    {
        var x = F([1, -2, 3], 3);

        var outputs = NodeRunner.Run(13, "Dropout", [("x", x)], 2);
        var e = Assert.Throws<OnnxModelException>(() => NodeRunner.Run(13, "Dropout", [("x", x)], initializers: [("ratio", OnnxTensor<float>.Scalar(0.5f)), ("training", OnnxTensor<bool>.Scalar(true))]));

        Assert.Equal([1f, -2, 3], ((OnnxTensor<float>)outputs[0]).ToArray());
        Assert.Equal([true, true, true], ((OnnxTensor<bool>)outputs[1]).ToArray());
        Assert.Contains("training_mode", e.Message);
    }

    [Fact]
    public void Softmax_handles_minus_infinity_and_large_values_in_a_row()
    {
        var x = F([0, float.NegativeInfinity, 1, 1000, 1000, 999], 2, 3);

        var y = One<float>(13, "Softmax", [("x", x)]);
        var log = One<float>(13, "LogSoftmax", [("x", x)]);

        var e = MathF.E;
        Assert.Equal(1 / (1 + e), y[0], 6);
        Assert.Equal(0f, y[1]);
        Assert.Equal(e / (1 + e), y[2], 6);
        Assert.Equal(y[3], y[4]);
        Assert.Equal(1f, y[3] + y[4] + y[5], 6);
        Assert.Equal(float.NegativeInfinity, log[1]);
        Assert.Equal(MathF.Log(y[5]), log[5], 5);
    }
}

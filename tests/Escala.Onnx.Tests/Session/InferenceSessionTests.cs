using Escala.Onnx.Building;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Session;

public sealed class InferenceSessionTests
{
    private static byte[] Mlp() => new OnnxModelBuilder()
        .Opset("", 13)
        .Producer("tests", "1")
        .Input("X", ElementType.Float, "N", 3)
        .Output("P", ElementType.Float, "N", 2)
        .Initializer("W1", new float[] { 1, 0, -1, 0, 1, 1 }, 3, 2)
        .Initializer("B1", new float[] { 0.5f, -0.5f }, 2)
        .Node("MatMul", ["X", "W1"], ["H"])
        .Node("Add", ["H", "B1"], ["Z"])
        .Node("Sigmoid", ["Z"], ["S"])
        .Node("Identity", ["S"], ["P"])
        .ToBytes();

    [Fact]
    public void Run_computes_a_small_network_end_to_end()
    {
        var session = InferenceSession.Load(Mlp());
        var x = new OnnxTensor<float>([1, 2, 3, 0, 0, 0], 2, 3);

        var p = Assert.IsType<OnnxTensor<float>>(session.Run(new Dictionary<string, OnnxValue> { ["X"] = x })["P"]);

        // Row 0: [1,2,3] x W1 = [1 - 2 + 3, 3] = [2, 3]; + B1 = [2.5, 2.5]
        Assert.Equal([2, 2], p.ShapeArray());
        Assert.Equal(Sigmoid(2.5), p[0], 6);
        Assert.Equal(Sigmoid(2.5), p[1], 6);
        Assert.Equal(Sigmoid(0.5), p[2], 6);
        Assert.Equal(Sigmoid(-0.5), p[3], 6);
    }

    [Fact]
    public void The_signature_keeps_symbolic_dims_and_names_the_ops()
    {
        var session = InferenceSession.Load(Mlp());

        Assert.Equal("X: tensor(float)[N,3]", Assert.Single(session.Inputs).ToString());
        Assert.Equal("P: tensor(float)[N,2]", Assert.Single(session.Outputs).ToString());
        Assert.Equal(13, session.Opsets["ai.onnx"]);
        Assert.Equal("tests", session.ProducerName);
        Assert.Equal(["MatMul", "Add", "Sigmoid", "Identity"], session.Operators.Select(o => o.OpType));
        Assert.All(session.Operators, o => Assert.True(o.Supported));
    }

    [Fact]
    public void The_batch_dimension_is_dynamic()
    {
        var session = InferenceSession.Load(Mlp());

        foreach (var rows in new[] { 1, 7, 1000 })
        {
            var x = new OnnxTensor<float>(new float[rows * 3], rows, 3);
            var p = (OnnxTensor<float>)session.Run(x)[0];
            Assert.Equal([rows, 2], p.ShapeArray());
        }
    }

    [Fact]
    public void Outputs_belong_to_the_caller_and_later_runs_do_not_change_them()
    {
        var session = InferenceSession.Load(Mlp());
        var first = (OnnxTensor<float>)session.Run(new OnnxTensor<float>([1, 2, 3], 1, 3))[0];
        var copy = first.ToArray();

        session.Run(new OnnxTensor<float>([9, 9, 9], 1, 3));

        Assert.Equal(copy, first.ToArray());
    }

    [Fact]
    public async Task Concurrent_runs_give_the_same_answers_as_serial_runs()
    {
        var session = InferenceSession.Load(Mlp());
        var inputs = Enumerable.Range(0, 64).Select(i => new OnnxTensor<float>([i, -i, i * 0.5f, 1, 2, 3], 2, 3)).ToArray();
        var expected = inputs.Select(x => ((OnnxTensor<float>)session.Run(x)[0]).ToArray()).ToArray();

        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var r = 0; r < 50; r++)
            {
                for (var i = 0; i < inputs.Length; i++)
                {
                    Assert.Equal(expected[i], ((OnnxTensor<float>)session.Run(inputs[i])[0]).ToArray());
                }
            }
        }));

        await Task.WhenAll(tasks);
    }

    [Fact]
    public void A_missing_input_is_named()
    {
        var session = InferenceSession.Load(Mlp());

        var e = Assert.Throws<OnnxInputException>(() => session.Run(new Dictionary<string, OnnxValue>()));

        Assert.Equal("X", e.InputName);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void An_unknown_input_name_is_refused_listing_the_real_ones()
    {
        var session = InferenceSession.Load(Mlp());

        var e = Assert.Throws<OnnxInputException>(() => session.Run(new Dictionary<string, OnnxValue> { ["x"] = OnnxTensor<float>.Scalar(1) }));

        Assert.Contains("inputs: X", e.Message);
    }

    [Fact]
    public void A_wrong_element_type_is_refused_naming_both_types()
    {
        var session = InferenceSession.Load(Mlp());

        var e = Assert.Throws<OnnxInputException>(() => session.Run(new OnnxTensor<double>([1, 2, 3], 1, 3)));

        Assert.Contains("double", e.Message);
        Assert.Contains("float", e.Message);
    }

    [Fact]
    public void A_wrong_rank_or_fixed_dim_is_refused_with_the_expected_shape()
    {
        var session = InferenceSession.Load(Mlp());

        var rank = Assert.Throws<OnnxInputException>(() => session.Run(new OnnxTensor<float>([1, 2, 3], 3)));
        var dim = Assert.Throws<OnnxInputException>(() => session.Run(new OnnxTensor<float>([1, 2, 3, 4], 1, 4)));

        Assert.Contains("rank 2", rank.Message);
        Assert.Contains("dimension 1 must be 3", dim.Message);
    }

    [Fact]
    public void Inputs_sharing_a_symbolic_dim_must_agree()
    {
        var session = InferenceSession.Load(new OnnxModelBuilder()
            .Input("A", ElementType.Float, "N", 2)
            .Input("B", ElementType.Float, "N", 2)
            .Output("C", ElementType.Float, "N", 2)
            .Node("Add", ["A", "B"], ["C"])
            .ToBytes());

        var e = Assert.Throws<OnnxInputException>(() => session.Run(new OnnxTensor<float>(new float[4], 2, 2), new OnnxTensor<float>(new float[6], 3, 2)));

        Assert.Contains("N = 3", e.Message);
    }

    [Fact]
    public void A_node_failing_at_run_time_is_named()
    {
        var session = InferenceSession.Load(new OnnxModelBuilder()
            .Input("A", ElementType.Float, "N", "M")
            .Input("B", ElementType.Float, "K", "L")
            .Output("C", ElementType.Float)
            .Node("Add", ["A", "B"], ["C"], name: "adder")
            .ToBytes());

        var e = Assert.Throws<OnnxRuntimeException>(() => session.Run(new OnnxTensor<float>(new float[6], 2, 3), new OnnxTensor<float>(new float[4], 2, 2)));

        Assert.Equal("adder", e.NodeName);
        Assert.Contains("broadcast", e.Message);
    }

    [Fact]
    public void Graph_outputs_that_are_inputs_or_constants_are_copies()
    {
        var session = InferenceSession.Load(new OnnxModelBuilder()
            .Input("A", ElementType.Float, 2)
            .Output("A", ElementType.Float, 2)
            .Output("K", ElementType.Float, 2)
            .Initializer("W", new float[] { 1, 2 }, 2)
            .Node("Identity", ["W"], ["K"])
            .ToBytes());
        var a = new OnnxTensor<float>([5, 6], 2);

        var outputs = session.Run(a);
        ((OnnxTensor<float>)outputs[1])[0] = 100;

        Assert.NotSame(a, outputs[0]);
        Assert.Equal([5f, 6f], ((OnnxTensor<float>)outputs[0]).ToArray());
        Assert.Equal([1f, 2f], ((OnnxTensor<float>)session.Run(a)[1]).ToArray());
    }

    private static float Sigmoid(double x) => (float)(1 / (1 + Math.Exp(-x)));
}

using Escala.Onnx.Building;
using Escala.Onnx.Tensors;

namespace Escala.Testing;

/// <summary>Real ONNX models made in code with the engine's builder.</summary>
public static class TestModels
{
    /// <summary>A logistic regression: input <c>x</c> float[N,<paramref name="features"/>], output <c>p</c> float[N,1]; the seed varies the weights (and so the bytes).</summary>
    public static byte[] Logistic(int features = 3, int seed = 1)
    {
        var random = new Random(seed);
        var weights = Enumerable.Range(0, features).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        return new OnnxModelBuilder("logistic")
            .Producer("escala-tests")
            .Opset("", 17)
            .Input("x", ElementType.Float, "N", features)
            .Output("p", ElementType.Float, "N", 1)
            .Initializer("w", weights, features, 1)
            .Initializer("b", [(float)random.NextDouble()], 1)
            .Node("Gemm", ["x", "w", "b"], ["z"], name: "linear")
            .Node("Sigmoid", ["z"], ["p"], name: "squash")
            .ToBytes();
    }

    /// <summary>A well-formed model whose one node uses an operator no engine knows.</summary>
    public static byte[] UsingUnknownOperator() => new OnnxModelBuilder("mystery")
        .Opset("", 17)
        .Opset("com.example", 1)
        .Input("x", ElementType.Float, "N", 2)
        .Output("y", ElementType.Float, "N", 2)
        .Node("Frobnicate", ["x"], ["y"], domain: "com.example", name: "frob_1")
        .ToBytes();

    /// <summary>A large but valid model (a wide weight matrix) of roughly <paramref name="bytes"/> bytes.</summary>
    public static byte[] OfSize(int bytes)
    {
        var features = Math.Max(1, bytes / 4);
        return new OnnxModelBuilder("wide")
            .Opset("", 17)
            .Input("x", ElementType.Float, "N", features)
            .Output("y", ElementType.Float, "N", 1)
            .Initializer("w", new float[features], features, 1)
            .Node("MatMul", ["x", "w"], ["y"])
            .ToBytes();
    }
}

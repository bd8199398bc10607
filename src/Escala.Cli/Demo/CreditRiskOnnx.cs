using Escala.Onnx;
using Escala.Onnx.Building;
using Escala.Onnx.Tensors;

namespace Escala.Cli.Demo;

/// <summary>
/// Writes a fitted credit-risk logistic regression as an ONNX model (Gemm then Sigmoid: input
/// <c>features</c> float[N,6], output <c>probability</c> float[N,1]) and checks, with Escala's own
/// engine, that the file reproduces the fitted model.
/// </summary>
public static class CreditRiskOnnx
{
    /// <summary>The model's input name.</summary>
    public const string Input = "features";

    /// <summary>The model's output name.</summary>
    public const string Output = "probability";

    /// <summary>The ONNX bytes for <paramref name="model"/>.</summary>
    public static byte[] Export(LogisticRegression model, string version)
    {
        var p = model.Weights.Length;
        return new OnnxModelBuilder("credit_risk")
            .Producer("escala-demo", version)
            .Doc("Probability that a credit application defaults within a year (logistic regression on synthetic data).")
            .Metadata("features", string.Join(',', CreditApplications.FeatureNames))
            .Opset("", 17)
            .Input(Input, ElementType.Float, "N", p)
            .Output(Output, ElementType.Float, "N", 1)
            .Initializer("weights", model.Weights.Select(w => (float)w).ToArray(), p, 1)
            .Initializer("intercept", [(float)model.Intercept], 1)
            .Node("Gemm", [Input, "weights", "intercept"], ["logit"], name: "linear")
            .Node("Sigmoid", ["logit"], [Output], name: "probability")
            .ToBytes();
    }

    /// <summary>Scores <paramref name="rows"/> with the ONNX file in Escala's engine.</summary>
    public static double[] Score(byte[] onnx, double[][] rows)
    {
        var session = InferenceSession.Load(onnx);
        var p = rows[0].Length;
        var flat = new float[rows.Length * p];
        for (var i = 0; i < rows.Length; i++)
        {
            for (var j = 0; j < p; j++)
            {
                flat[(i * p) + j] = (float)rows[i][j];
            }
        }

        var outputs = session.Run(new Dictionary<string, OnnxValue> { [Input] = new OnnxTensor<float>(flat, rows.Length, p) });
        var probabilities = (OnnxTensor<float>)outputs[Output];
        return [.. probabilities.ToArray().Select(v => (double)v)];
    }
}

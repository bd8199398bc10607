using Escala.Onnx.Explaining;
using Escala.Onnx.Tensors;
using Escala.Onnx.Tests.RealModels;
using Escala.Testing;

namespace Escala.Onnx.Tests.Explaining;

/// <summary>
/// The exact explainers on the real exported tree and linear models of ../shared/onnx-real-models: on every row of
/// every reference batch, expected value + Σ attributions equals the margin to 1e-6, and the margin is the score
/// the model serves (after its own post transform).
/// </summary>
public sealed class RealModelExplanationTests
{
    public static TheoryData<string, string> Models => new()
    {
        { "rf_iris.onnx", "tree-interventional" },
        { "pipeline_lightgbm.onnx", "tree-interventional" },
        { "pipeline_xgboost.onnx", "tree-interventional" },
        { "treecl.onnx", "tree-interventional" },
        { "treecl2.onnx", "tree-interventional" },
        { "treecl3.onnx", "tree-interventional" },
        { "test_xgb.onnx", "tree-interventional" },
        { "SklearnRegGradientBoostingRegressor.model.onnx", "tree-interventional" },
        { "SklearnBinGradientBoostingClassifier.model.onnx", "tree-interventional" },
        { "logreg_iris.onnx", "linear-exact" },
        { "pipeline_titanic.onnx", "linear-exact" },
        { "SklearnLinearRegression-Dec4.model.onnx", "linear-exact" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Attributions_add_up_to_the_served_margin_on_every_row(string file, string method)
    {
        var path = SharedFolder.Require(Path.Combine("onnx-real-models", file));
        var reference = ReferenceFile.Load(Path.ChangeExtension(path, null) + ".reference.json");
        var bytes = File.ReadAllBytes(path);
        var session = InferenceSession.Load(bytes);
        var explainer = ModelExplainer.Create(bytes, session);
        var background = reference.Batches[0].Inputs;
        var (scores, transform) = ScoringOutput(bytes);
        var checkedRows = 0;
        foreach (var batch in reference.Batches)
        {
            if (batch.Inputs.Values.OfType<OnnxTensor>().Any(t => t.Dim(0) == 0))
            {
                continue;
            }

            var explanation = explainer.Explain(batch.Inputs, background, new ExplainOptions { Method = ExplanationMethods.Parse(method) });
            Assert.Equal(method, ExplanationMethods.Name(explanation.Method));
            var features = explanation.Features.Count;
            foreach (var quantity in explanation.Quantities)
            {
                for (var r = 0; r < explanation.Rows; r++)
                {
                    var sum = quantity.ExpectedValue;
                    for (var f = 0; f < features; f++)
                    {
                        sum += quantity.Values[(r * features) + f];
                    }

                    Assert.Equal(quantity.Predicted[r], sum, 1e-6);
                    checkedRows++;
                }
            }

            // The margins, through the node's post transform, are the scores the engine computes for the same rows.
            var served = (OnnxTensor<float>)scores.Run(batch.Inputs).Values.Single();
            var width = served.Length / explanation.Rows;
            for (var r = 0; r < explanation.Rows; r++)
            {
                var margins = explanation.Quantities.Select(q => q.Predicted[r]).ToArray();
                var expected = Transform(transform, margins);
                for (var k = 0; k < margins.Length; k++)
                {
                    var actual = served[(r * width) + explanation.Quantities[k].Column];
                    Assert.True(Math.Abs(expected[k] - actual) <= 1e-4 * Math.Max(1, Math.Abs(actual)), $"{file} row {r}: margin gives {expected[k]}, the engine {actual}");
                }
            }
        }

        Assert.True(checkedRows > 0);
    }

    /// <summary>The same model with the scoring node's score output as its only output, and that node's post transform.</summary>
    private static (InferenceSession Session, string Transform) ScoringOutput(byte[] bytes)
    {
        var model = Escala.Onnx.Protobuf.ModelProto.Parse(bytes);
        var node = model.Graph!.Node.Single(n => n.OpType.StartsWith("Tree", StringComparison.Ordinal) || n.OpType.StartsWith("Linear", StringComparison.Ordinal));
        model.Graph.Output.Clear();
        model.Graph.Output.Add(new Escala.Onnx.Protobuf.ValueInfoProto { Name = node.Output[^1] });
        var transform = node.Attribute.Find(a => a.Name == "post_transform") is { S: { } text } ? System.Text.Encoding.UTF8.GetString(text) : "NONE";
        return (InferenceSession.Load(model), transform);
    }

    private static double[] Transform(string transform, double[] margins) => transform switch
    {
        "NONE" => margins,
        "LOGISTIC" => [.. margins.Select(m => 1 / (1 + Math.Exp(-m)))],
        "SOFTMAX" => [.. margins.Select(m => Math.Exp(m - margins.Max()) / margins.Sum(o => Math.Exp(o - margins.Max())))],
        _ => throw new NotSupportedException(transform),
    };
}

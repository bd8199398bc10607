using Escala.Onnx.Building;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Ml.Trees;

public sealed class TreeEnsembleConcurrencyTests
{
    [Fact]
    public async Task Concurrent_runs_of_one_session_give_the_same_answers_as_sequential_ones()
    {
        var random = new Random(5);
        var lists = RandomTrees.Lists(random, trees: 60, maxDepth: 7, features: 8, targets: 3, ["BRANCH_LEQ", "BRANCH_LT"], 0.3, votesPerLeaf: 1);
        var bytes = new OnnxModelBuilder().Opset("", 17).Opset("ai.onnx.ml", 3)
            .Input("X", ElementType.Float, "N", 8).Output("label", ElementType.Int64, "N").Output("probabilities", ElementType.Float, "N", 3)
            .Node("TreeEnsembleClassifier", ["X"], ["label", "probabilities"], b => b
                .Ints("nodes_treeids", [.. lists.TreeIds]).Ints("nodes_nodeids", [.. lists.NodeIds]).Ints("nodes_featureids", [.. lists.FeatureIds])
                .Strings("nodes_modes", [.. lists.Modes]).Floats("nodes_values", [.. lists.Values.Select(v => (float)v)])
                .Ints("nodes_missing_value_tracks_true", [.. lists.MissingTracksTrue])
                .Ints("nodes_truenodeids", [.. lists.TrueNodeIds]).Ints("nodes_falsenodeids", [.. lists.FalseNodeIds])
                .Ints("class_treeids", [.. lists.WeightTreeIds]).Ints("class_nodeids", [.. lists.WeightNodeIds])
                .Ints("class_ids", [.. lists.WeightTargetIds]).Floats("class_weights", [.. lists.Weights.Select(v => (float)v)])
                .Ints("classlabels_int64s", 0, 1, 2).String("post_transform", "SOFTMAX"), domain: "ai.onnx.ml")
            .ToBytes();
        var session = InferenceSession.Load(bytes);
        var inputs = Enumerable.Range(0, 16).Select(i => RandomTrees.Rows(new Random(i), 1 + (i * 7), 8, 0.05)).ToArray();
        var expected = inputs.Select(x => Scores(session, x)).ToArray();

        var tasks = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var round = 0; round < 20; round++)
            {
                var i = (worker + round) % inputs.Length;
                Assert.Equal(expected[i], Scores(session, inputs[i]));
            }
        }));
        await Task.WhenAll(tasks);
    }

    private static float[] Scores(InferenceSession session, float[] x) =>
        Assert.IsType<OnnxTensor<float>>(session.Run(new OnnxTensor<float>(x, x.Length / 8, 8))[1]).ToArray();
}

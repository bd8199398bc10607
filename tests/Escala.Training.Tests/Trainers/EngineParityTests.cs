using System.Globalization;
using Escala.Onnx;
using Escala.Onnx.Tensors;
using Escala.Training.Datasets;
using Escala.Training.Trainers;

namespace Escala.Training.Tests.Trainers;

/// <summary>Every built-in trainer's exported graph runs in Escala's own engine and gives ML.NET's predictions on held-out rows.</summary>
public sealed class EngineParityTests
{
    [Theory]
    [InlineData("lightgbm", "binary", "income")]
    [InlineData("fasttree", "binary", "income")]
    [InlineData("logistic", "binary", "income")]
    [InlineData("lightgbm", "multiclass", "race")]
    [InlineData("logistic", "multiclass", "race")]
    [InlineData("lightgbm", "regression", "hours-per-week")]
    [InlineData("fasttree", "regression", "hours-per-week")]
    [InlineData("linear", "regression", "hours-per-week")]
    public void Exported_model_takes_raw_columns_and_matches_mlnet_on_holdout_rows(string trainer, string task, string label)
    {
        using var data = AdultData.Split(3000, 400);
        var spec = new TrainingSpec(TrainingSpec.ParseTrainer(trainer)!.Value, TrainingSpec.ParseTask(task)!.Value, label, label == "income" ? ">50K" : null,
            Hyperparameters: new Dictionary<string, double> { ["trees"] = 40 });
        var model = MlNetTrainer.Train(data.Train, CsvSchema.Read(data.Train), spec, TestContext.Current.CancellationToken);

        var session = InferenceSession.Load(model.Onnx);
        Assert.Equal(model.Features.Select(f => f.Name), session.Inputs.Select(i => i.Name));
        Assert.DoesNotContain(session.Inputs, i => i.Name == label);
        var outputs = session.Run(Inputs(data.Test, model.Features));
        var expected = model.ScoreWithMlNet(data.Test);
        Assert.Equal(400, expected.Count);

        switch (spec.Task)
        {
            case TrainingTask.Binary:
                var probability = ((OnnxTensor<float>)outputs["Probability"]).ToArray();
                var predicted = ((OnnxTensor<bool>)outputs["PredictedLabel"]).ToArray();
                for (var i = 0; i < expected.Count; i++)
                {
                    Assert.Equal(expected[i], probability[i], 1e-4);
                    Assert.Equal(expected[i] > 0.5, predicted[i]);
                }

                break;
            case TrainingTask.Regression:
                var score = ((OnnxTensor<float>)outputs["Score"]).ToArray();
                for (var i = 0; i < expected.Count; i++)
                {
                    Assert.Equal(expected[i], score[i], Math.Max(1e-3, Math.Abs(expected[i]) * 1e-5));
                }

                break;
            default:
                var labels = ((OnnxTensor<string>)outputs["PredictedLabel"]).ToArray();
                Assert.Equal(expected.Select(e => model.Classes[(int)e]), labels);
                break;
        }
    }

    internal static Dictionary<string, OnnxValue> Inputs(string csv, IReadOnlyList<CsvColumn> features)
    {
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
        var inputs = new Dictionary<string, OnnxValue>(StringComparer.Ordinal);
        foreach (var f in features)
        {
            var index = Array.IndexOf(header, f.Name);
            inputs[f.Name] = f.Kind == ColumnKind.Numeric
                ? new OnnxTensor<float>(rows.Select(r => float.Parse(r[index], CultureInfo.InvariantCulture)).ToArray(), rows.Length, 1)
                : new OnnxTensor<string>(rows.Select(r => r[index]).ToArray(), rows.Length, 1);
        }

        return inputs;
    }
}

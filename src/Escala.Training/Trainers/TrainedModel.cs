using Escala.Training.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Escala.Training.Trainers;

/// <summary>
/// A trained model: the ONNX graph (raw feature columns in, <c>PredictedLabel</c>/<c>Score</c>/<c>Probability</c> out),
/// the feature columns it takes, the classes of a classifier (binary: negative then positive) and ML.NET's own
/// transformer, kept to score rows the way ML.NET does (the reference the exported graph is checked against).
/// </summary>
public sealed class TrainedModel(byte[] onnx, IReadOnlyList<CsvColumn> features, IReadOnlyList<string> classes, TrainingSpec spec, ITransformer transformer, MLContext context, TimeSpan duration)
{
    /// <summary>The exported ONNX model.</summary>
    public byte[] Onnx { get; } = onnx;

    /// <summary>The inputs, in file order: one ONNX input per column ([N,1] float or string).</summary>
    public IReadOnlyList<CsvColumn> Features { get; } = features;

    /// <summary>Class labels (binary: negative, positive; multiclass: in score order); empty for regression.</summary>
    public IReadOnlyList<string> Classes { get; } = classes;

    /// <summary>The job that made it.</summary>
    public TrainingSpec Spec { get; } = spec;

    /// <summary>Wall time of fitting and export.</summary>
    public TimeSpan Duration { get; } = duration;

    /// <summary>
    /// ML.NET's own predictions on a CSV with the same feature columns: the probability of the positive class (binary),
    /// the predicted class index (multiclass) or the value (regression), one per row in file order.
    /// </summary>
    public IReadOnlyList<double> ScoreWithMlNet(string csvPath)
    {
        var schema = CsvSchema.Read(csvPath);
        var loader = MlNetTrainer.FeatureLoader(context, schema, Features);
        var scored = transformer.Transform(loader.Load(csvPath));
        return Spec.Task switch
        {
            TrainingTask.Binary => scored.GetColumn<float>("Probability").Select(v => (double)v).ToArray(),
            TrainingTask.Regression => scored.GetColumn<float>("Score").Select(v => (double)v).ToArray(),
            _ => scored.GetColumn<string>("PredictedLabel").Select(v => (double)Classes.ToList().IndexOf(v)).ToArray(),
        };
    }
}

using System.Diagnostics;
using Escala.Training.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Escala.Training.Trainers;

/// <summary>
/// Trains a built-in model with ML.NET on a CSV file and exports it to ONNX. Categorical columns are one-hot encoded
/// inside the model and only the feature pipeline and the trainer are exported (the label is mapped by a separate
/// transform that is never exported), so the ONNX graph takes the raw records: one input per feature column.
/// </summary>
public static class MlNetTrainer
{
    /// <summary>The ONNX outputs of each task, in the order the graph returns them.</summary>
    public static IReadOnlyList<string> OutputsOf(TrainingTask task) => task switch
    {
        TrainingTask.Binary => ["PredictedLabel", "Score", "Probability"],
        TrainingTask.Multiclass => ["PredictedLabel", "Score"],
        _ => ["Score"],
    };

    /// <summary>Trains on <paramref name="csvPath"/> (whose columns <paramref name="schema"/> describes) and exports the model.</summary>
    public static TrainedModel Train(string csvPath, CsvSchema schema, TrainingSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(spec);
        var started = Stopwatch.GetTimestamp();
        var label = schema.Find(spec.Label) ?? throw new TrainingException(
            $"the data has no label column '{spec.Label}'; its columns are {string.Join(", ", schema.Columns.Select(c => c.Name))}");
        var features = SelectFeatures(schema, spec, label);
        var classes = Classes(label, spec);

        var context = new MLContext(spec.Seed);
        cancellationToken.ThrowIfCancellationRequested();
        var loaderColumns = features.Select(Column).Append(new TextLoader.Column(
            "__label", spec.Task == TrainingTask.Regression ? DataKind.Single : DataKind.String, label.Index)).ToArray();
        var labelled = context.Data.CreateTextLoader(Options(loaderColumns)).Load(csvPath);
        labelled = MapLabel(context, spec, classes).Fit(labelled).Transform(labelled);

        var featurize = Featurize(context, features, spec.Trainer is TrainerKind.Logistic or TrainerKind.Linear);
        var estimator = featurize.Append(Trainer(context, spec));
        ITransformer model = estimator.Fit(labelled);
        if (spec.Task == TrainingTask.Multiclass)
        {
            // Predicted class as its text, inside the graph (a LabelEncoder), so callers read labels, not key indices.
            model = ((ITransformer)model).Append(context.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(model.Transform(labelled)));
        }

        var featuresOnly = FeatureLoader(context, schema, features).Load(csvPath);
        using var onnx = new MemoryStream();
        context.Model.ConvertToOnnx(model, featuresOnly, onnx, [.. OutputsOf(spec.Task)]);
        var tidy = OnnxExportNames.Tidy(onnx.ToArray(), spec, classes);
        return new TrainedModel(tidy, features, classes, spec, model, context, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>A loader of just the feature columns (the exported graph's inputs).</summary>
    internal static TextLoader FeatureLoader(MLContext context, CsvSchema schema, IReadOnlyList<CsvColumn> features)
    {
        var columns = features.Select(f => schema.Find(f.Name) ?? throw new TrainingException(
            $"the data has no column '{f.Name}', which the model takes")).Select(c => Column(c with { Kind = features.First(f => f.Name == c.Name).Kind })).ToArray();
        return context.Data.CreateTextLoader(Options(columns));
    }

    private static IReadOnlyList<CsvColumn> SelectFeatures(CsvSchema schema, TrainingSpec spec, CsvColumn label)
    {
        if (spec.Features is null)
        {
            var rest = schema.Columns.Where(c => c != label).ToArray();
            return rest.Length > 0 ? rest : throw new TrainingException("the data has no column besides the label");
        }

        var missing = spec.Features.Where(f => schema.Find(f) is null).ToArray();
        if (missing.Length > 0)
        {
            throw new TrainingException($"the data has no column {string.Join(", ", missing.Select(m => $"'{m}'"))}; its columns are {string.Join(", ", schema.Columns.Select(c => c.Name))}");
        }

        if (spec.Features.Contains(label.Name, StringComparer.Ordinal))
        {
            throw new TrainingException($"the label '{label.Name}' cannot also be a feature");
        }

        return schema.Columns.Where(c => spec.Features.Contains(c.Name, StringComparer.Ordinal)).ToArray();
    }

    private static IReadOnlyList<string> Classes(CsvColumn label, TrainingSpec spec)
    {
        switch (spec.Task)
        {
            case TrainingTask.Regression:
                if (label.Kind != ColumnKind.Numeric)
                {
                    throw new TrainingException($"regression needs a numeric label; '{label.Name}' has text values such as '{label.Values.FirstOrDefault()}'");
                }

                return [];
            case TrainingTask.Binary:
                if (label.Values.Count != 2)
                {
                    throw new TrainingException($"a binary task needs exactly two label values; '{label.Name}' has {label.Values.Count}");
                }

                var positive = spec.Positive ?? label.Values.FirstOrDefault(v => v is "1" or "true" or "True" or "yes")
                    ?? throw new TrainingException($"say which value of '{label.Name}' is the positive class ('positive': one of {string.Join(", ", label.Values)})");
                if (!label.Values.Contains(positive, StringComparer.Ordinal))
                {
                    throw new TrainingException($"the positive class '{positive}' is not a value of '{label.Name}' ({string.Join(", ", label.Values)})");
                }

                return [label.Values.First(v => v != positive), positive];
            default:
                if (label.Values.Count < 2 || label.Values.Count >= CsvSchema.MaxDistinct)
                {
                    throw new TrainingException($"a multiclass task needs between 2 and {CsvSchema.MaxDistinct - 1} label values; '{label.Name}' has {label.Values.Count}");
                }

                return label.Values;
        }
    }

    private static IEstimator<ITransformer> MapLabel(MLContext context, TrainingSpec spec, IReadOnlyList<string> classes) => spec.Task switch
    {
        TrainingTask.Binary => context.Transforms.Conversion.MapValue(
            "Label", classes.Select(c => new KeyValuePair<string, bool>(c, c == classes[1])), "__label"),
        TrainingTask.Multiclass => context.Transforms.Conversion.MapValueToKey(
            "Label", "__label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue),
        _ => context.Transforms.CopyColumns("Label", "__label"),
    };

    private static IEstimator<ITransformer> Featurize(MLContext context, IReadOnlyList<CsvColumn> features, bool normalize)
    {
        var parts = new List<string>();
        IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();
        foreach (var f in features)
        {
            if (f.Kind == ColumnKind.Categorical)
            {
                var encoded = f.Name + ".onehot";
                chain = chain.Append(context.Transforms.Categorical.OneHotEncoding(encoded, f.Name));
                parts.Add(encoded);
            }
            else
            {
                parts.Add(f.Name);
            }
        }

        chain = chain.Append(context.Transforms.Concatenate("Features", [.. parts]));
        return normalize ? chain.Append(context.Transforms.NormalizeMinMax("Features")) : chain;
    }

    private static IEstimator<ITransformer> Trainer(MLContext context, TrainingSpec spec)
    {
        var leaves = (int)spec.Hyper("leaves", 31);
        var trees = (int)spec.Hyper("trees", 100);
        var rate = spec.Hyper("learning_rate", 0.1);
        var minLeaf = (int)spec.Hyper("min_leaf", 20);
        var iterations = (int)spec.Hyper("iterations", 100);
        return (spec.Trainer, spec.Task) switch
        {
            (TrainerKind.LightGbm, TrainingTask.Binary) => context.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = "Label", NumberOfLeaves = leaves, NumberOfIterations = trees, LearningRate = rate, MinimumExampleCountPerLeaf = minLeaf, Seed = spec.Seed,
            }),
            (TrainerKind.LightGbm, TrainingTask.Multiclass) => context.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = "Label", NumberOfLeaves = leaves, NumberOfIterations = trees, LearningRate = rate, MinimumExampleCountPerLeaf = minLeaf, Seed = spec.Seed,
            }),
            (TrainerKind.LightGbm, TrainingTask.Regression) => context.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                LabelColumnName = "Label", NumberOfLeaves = leaves, NumberOfIterations = trees, LearningRate = rate, MinimumExampleCountPerLeaf = minLeaf, Seed = spec.Seed,
            }),
            (TrainerKind.FastTree, TrainingTask.Binary) => context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                LabelColumnName = "Label", NumberOfLeaves = leaves, NumberOfTrees = trees, LearningRate = rate, MinimumExampleCountPerLeaf = minLeaf,
            }),
            (TrainerKind.FastTree, TrainingTask.Regression) => context.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                LabelColumnName = "Label", NumberOfLeaves = leaves, NumberOfTrees = trees, LearningRate = rate, MinimumExampleCountPerLeaf = minLeaf,
            }),
            (TrainerKind.Logistic, TrainingTask.Binary) => context.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = "Label", MaximumNumberOfIterations = iterations,
            }),
            (TrainerKind.Logistic, TrainingTask.Multiclass) => context.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "Label", MaximumNumberOfIterations = iterations,
            }),
            (TrainerKind.Linear, TrainingTask.Regression) => context.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                LabelColumnName = "Label", MaximumNumberOfIterations = iterations,
            }),
            (TrainerKind.FastTree, TrainingTask.Multiclass) => throw new TrainingException("fasttree does not train multiclass models; use lightgbm or logistic"),
            (TrainerKind.Logistic, TrainingTask.Regression) => throw new TrainingException("logistic is a classifier; use linear, lightgbm or fasttree for regression"),
            (TrainerKind.Linear, _) => throw new TrainingException("linear is a regressor; use logistic for classification"),
            _ => throw new TrainingException($"no built-in trainer for {spec.Trainer} {spec.Task}"),
        };
    }

    private static TextLoader.Column Column(CsvColumn c) =>
        new(c.Name, c.Kind == ColumnKind.Numeric ? DataKind.Single : DataKind.String, c.Index);

    private static TextLoader.Options Options(TextLoader.Column[] columns) => new()
    {
        Separators = [','],
        HasHeader = true,
        AllowQuoting = false,
        Columns = columns,
    };
}

namespace Escala.Training.Trainers;

/// <summary>What a model predicts.</summary>
public enum TrainingTask
{
    /// <summary>Two classes; the model returns the probability of the positive one.</summary>
    Binary,

    /// <summary>Several classes; the model returns the predicted label and a score per class.</summary>
    Multiclass,

    /// <summary>A number.</summary>
    Regression,
}

/// <summary>The built-in trainers (ML.NET): gradient-boosted trees (LightGBM, FastTree) and L-BFGS linear models.</summary>
public enum TrainerKind
{
    /// <summary>LightGBM gradient-boosted trees: binary, multiclass, regression.</summary>
    LightGbm,

    /// <summary>FastTree (MART) gradient-boosted trees: binary, regression.</summary>
    FastTree,

    /// <summary>L-BFGS logistic regression (binary) and maximum entropy (multiclass), on min-max normalised features.</summary>
    Logistic,

    /// <summary>Linear regression (SDCA, squared loss) on min-max normalised features.</summary>
    Linear,
}

/// <summary>
/// One training job: the trainer, the task, the label column (and the positive class for binary tasks), the feature
/// columns (null: every other column), hyperparameters by name and the random seed.
/// </summary>
public sealed record TrainingSpec(
    TrainerKind Trainer,
    TrainingTask Task,
    string Label,
    string? Positive = null,
    IReadOnlyList<string>? Features = null,
    IReadOnlyDictionary<string, double>? Hyperparameters = null,
    int Seed = 1)
{
    /// <summary>The names accepted for <see cref="TrainerKind"/> in pipelines and the CLI.</summary>
    public static TrainerKind? ParseTrainer(string name) => name switch
    {
        "lightgbm" => TrainerKind.LightGbm,
        "fasttree" => TrainerKind.FastTree,
        "logistic" => TrainerKind.Logistic,
        "linear" => TrainerKind.Linear,
        _ => null,
    };

    /// <summary>The names accepted for <see cref="TrainingTask"/>.</summary>
    public static TrainingTask? ParseTask(string name) => name switch
    {
        "binary" => TrainingTask.Binary,
        "multiclass" => TrainingTask.Multiclass,
        "regression" => TrainingTask.Regression,
        _ => null,
    };

    /// <summary>The hyperparameter <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public double Hyper(string name, double fallback) =>
        Hyperparameters is not null && Hyperparameters.TryGetValue(name, out var v) ? v : fallback;
}

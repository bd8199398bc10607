using System.Globalization;

namespace Escala.Core.Monitoring.Settings;

/// <summary>What kind of answer an endpoint gives, for scoring ground-truth feedback.</summary>
public enum GroundTruthTask
{
    /// <summary>Decided per label: a label that is a boolean or 0/1 for a prediction that is a probability is binary; another number is regression; text is multiclass.</summary>
    Auto,

    /// <summary>A probability of the positive class, scored with a decision threshold.</summary>
    Binary,

    /// <summary>A class label (the prediction's label output).</summary>
    Multiclass,

    /// <summary>A number.</summary>
    Regression,
}

/// <summary>How feedback labels are scored against the logged predictions.</summary>
/// <param name="Task">The kind of answer.</param>
/// <param name="PositiveLabel">For binary tasks, the label that means positive (besides <c>true</c> and <c>1</c>).</param>
/// <param name="Threshold">For binary tasks, a probability at or above it is a positive prediction.</param>
public sealed record GroundTruthSetting(GroundTruthTask Task = GroundTruthTask.Auto, string PositiveLabel = "1", double Threshold = 0.5)
{
    /// <summary>Auto, positive label "1", threshold 0.5.</summary>
    public static GroundTruthSetting Default { get; } = new();

    /// <summary>Problems with the setting, each naming the field; empty when valid.</summary>
    public IEnumerable<string> Problems(string path)
    {
        if (!Enum.IsDefined(Task))
        {
            yield return $"{path}.task must be auto, binary, multiclass or regression.";
        }

        if (string.IsNullOrWhiteSpace(PositiveLabel) || PositiveLabel.Length > 200)
        {
            yield return $"{path}.positiveLabel must be 1-200 characters.";
        }

        if (!(Threshold >= 0 && Threshold <= 1))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{path}.threshold must be in [0, 1]; got {Threshold}.");
        }
    }
}

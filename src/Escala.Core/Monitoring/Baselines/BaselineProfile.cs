using System.Text.Json;
using System.Text.Json.Serialization;

namespace Escala.Core.Monitoring.Baselines;

/// <summary>
/// The reference profile of one model version: every input feature and the prediction, each as a
/// <see cref="ColumnProfile"/>. Immutable; stored with the version as JSON (<see cref="ToJson"/>,
/// <see cref="FromJson"/>); the data-quality check, the windows and the drift detector all read it.
/// </summary>
public sealed class BaselineProfile
{
    /// <summary>The JSON format version written by <see cref="ToJson"/>.</summary>
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = false,
    };

    private readonly Dictionary<string, int> _indexByName;
    private readonly CategoryLookup?[] _lookups;

    /// <summary>Creates a profile; validates it and throws <see cref="BaselineException"/> naming the first problem.</summary>
    [JsonConstructor]
    public BaselineProfile(int format, long rowCount, IReadOnlyList<ColumnProfile> features, ColumnProfile? prediction)
    {
        if (format != CurrentFormat)
        {
            throw new BaselineException($"Baseline format {format} is not supported; this version reads format {CurrentFormat}. Rebuild the baseline.");
        }

        ArgumentNullException.ThrowIfNull(features);
        Format = format;
        RowCount = rowCount;
        Features = features;
        Prediction = prediction;
        _indexByName = new Dictionary<string, int>(features.Count, StringComparer.Ordinal);
        for (var i = 0; i < features.Count; i++)
        {
            var column = features[i] ?? throw new BaselineException($"Baseline feature {i} is null.");
            Validate(column);
            if (!_indexByName.TryAdd(column.Name, i))
            {
                throw new BaselineException($"Baseline feature '{column.Name}' appears twice; feature names must be unique.");
            }
        }

        if (prediction is not null)
        {
            Validate(prediction);
        }

        _lookups = new CategoryLookup?[features.Count + 1];
        for (var i = 0; i <= features.Count; i++)
        {
            var column = i < features.Count ? features[i] : prediction;
            if (column?.Categorical is { } categorical)
            {
                _lookups[i] = new CategoryLookup(categorical);
            }
        }
    }

    /// <summary>The JSON format version.</summary>
    public int Format { get; }

    /// <summary>Reference rows the profile was built from.</summary>
    public long RowCount { get; }

    /// <summary>Input features, in the order rows are handed to the monitoring types.</summary>
    public IReadOnlyList<ColumnProfile> Features { get; }

    /// <summary>The prediction's profile (score, value or label), when the reference had one.</summary>
    public ColumnProfile? Prediction { get; }

    /// <summary>The index of feature <paramref name="name"/>, or -1. Bind input names to indexes once per version, not per request.</summary>
    public int IndexOf(string name) => _indexByName.TryGetValue(name, out var index) ? index : -1;

    /// <summary>The category lookup of column <paramref name="column"/> (features, then the prediction at <c>Features.Count</c>), or null when numeric.</summary>
    public CategoryLookup? LookupOf(int column) => _lookups[column];

    /// <summary>Serialises the profile (System.Text.Json, camelCase).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a profile written by <see cref="ToJson"/>; throws <see cref="BaselineException"/> when it is malformed.</summary>
    public static BaselineProfile FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<BaselineProfile>(json, JsonOptions)
                ?? throw new BaselineException("The baseline JSON is 'null'.");
        }
        catch (JsonException e)
        {
            throw new BaselineException($"The baseline JSON is malformed: {e.Message}", e);
        }
    }

    private static void Validate(ColumnProfile column)
    {
        if (string.IsNullOrEmpty(column.Name))
        {
            throw new BaselineException("A baseline column has no name.");
        }

        if (column.Count < 0 || column.Missing < 0 || column.Missing > column.Count)
        {
            throw new BaselineException($"Column '{column.Name}': counts are inconsistent (count {column.Count}, missing {column.Missing}).");
        }

        switch (column.Kind)
        {
            case FeatureKind.Numeric:
                ValidateNumeric(column.Name, column.Numeric ?? throw new BaselineException($"Column '{column.Name}' is numeric but has no numeric summary."));
                break;
            case FeatureKind.Categorical:
                ValidateCategorical(column.Name, column.Categorical ?? throw new BaselineException($"Column '{column.Name}' is categorical but has no categorical summary."));
                break;
            default:
                throw new BaselineException($"Column '{column.Name}' has an unknown kind {(int)column.Kind}.");
        }
    }

    private static void ValidateNumeric(string name, NumericSummary numeric)
    {
        if (numeric.Edges is null || numeric.Counts is null || numeric.BinMeans is null)
        {
            throw new BaselineException($"Column '{name}': edges, counts and binMeans are required.");
        }

        if (numeric.Counts.Length != numeric.Edges.Length + 1 || numeric.BinMeans.Length != numeric.Counts.Length)
        {
            throw new BaselineException($"Column '{name}': {numeric.Edges.Length} edges need {numeric.Edges.Length + 1} counts and bin means, found {numeric.Counts.Length} and {numeric.BinMeans.Length}.");
        }

        for (var i = 0; i < numeric.Edges.Length; i++)
        {
            if (!double.IsFinite(numeric.Edges[i]) || (i > 0 && numeric.Edges[i] <= numeric.Edges[i - 1]))
            {
                throw new BaselineException($"Column '{name}': bin edges must be finite and strictly increasing (edge {i} is {numeric.Edges[i]}).");
            }
        }

        foreach (var count in numeric.Counts)
        {
            if (count < 0)
            {
                throw new BaselineException($"Column '{name}': a bin count is negative.");
            }
        }
    }

    private static void ValidateCategorical(string name, CategoricalSummary categorical)
    {
        if (categorical.Categories is null || categorical.Counts is null || categorical.Categories.Length != categorical.Counts.Length)
        {
            throw new BaselineException($"Column '{name}': categories and counts must both be present and of the same length.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var category in categorical.Categories)
        {
            if (category is null || !seen.Add(category))
            {
                throw new BaselineException($"Column '{name}': category '{category}' is null or repeated.");
            }
        }

        if (categorical.OtherCount < 0 || Array.Exists(categorical.Counts, c => c < 0))
        {
            throw new BaselineException($"Column '{name}': a category count is negative.");
        }
    }
}

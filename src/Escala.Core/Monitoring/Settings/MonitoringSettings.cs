using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Quality;
using Escala.Core.Problems;

namespace Escala.Core.Monitoring.Settings;

/// <summary>
/// How one endpoint is monitored: the data-quality policy and tolerances, the drift policy and windows,
/// the availability objective, where to export metrics over OTLP, whether to build a missing baseline from
/// live traffic, and how feedback labels are scored. Stored per endpoint as JSON and audited; every field
/// has a default (docs/monitoring.md says which and why), so an endpoint without settings is monitored too.
/// </summary>
public sealed record MonitoringSettings
{
    /// <summary>The settings of an endpoint nobody configured.</summary>
    public static MonitoringSettings Defaults { get; } = new();

    /// <summary>The most drift overrides accepted (one per feature).</summary>
    public const int MaxOverrides = 1000;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = false,
    };

    /// <summary>Reject or flag rows that fail the data-quality check (default flag).</summary>
    public QualityPolicy Quality { get; init; } = QualityPolicy.Flag;

    /// <summary>How far beyond the baseline's range a number may go, as a fraction of the range (default 0.1).</summary>
    public double RangeTolerance { get; init; } = 0.1;

    /// <summary>When a missing value is a quality problem (default: only for features never missing in the baseline).</summary>
    public MissingPolicy Missing { get; init; } = MissingPolicy.WhenBaselineHasNone;

    /// <summary>Methods and thresholds of the drift verdicts (default PSI ≥ 0.2 numeric, Jensen-Shannon ≥ 0.1 categorical).</summary>
    public DriftPolicy Drift { get; init; } = DriftPolicy.Default;

    /// <summary>How drift windows are cut (default one hour).</summary>
    public WindowSetting Window { get; init; } = WindowSetting.Default;

    /// <summary>The availability objective (default 99.9% over 30 days).</summary>
    public SloSetting Slo { get; init; } = SloSetting.Default;

    /// <summary>An OTLP/HTTP collector base URL (e.g. <c>http://127.0.0.1:4318</c>) to push this endpoint's metrics to; null: none.</summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary>Build a version's baseline from its first N monitored rows when it has none (null: never).</summary>
    public int? BaselineFromPredictions { get; init; }

    /// <summary>How feedback labels are scored.</summary>
    public GroundTruthSetting GroundTruth { get; init; } = GroundTruthSetting.Default;

    /// <summary>The data-quality options for <see cref="DataQualityCheck"/>.</summary>
    [JsonIgnore]
    public QualityOptions QualityOptions => new() { RangeTolerance = RangeTolerance, Missing = Missing };

    /// <summary>Every problem with the settings, each naming its field; empty when they are valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(Quality))
        {
            problems.Add("quality must be flag, reject or off.");
        }

        if (!(RangeTolerance >= 0 && RangeTolerance <= 100))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"rangeTolerance must be between 0 and 100 (a fraction of the baseline's range); got {RangeTolerance}."));
        }

        if (!Enum.IsDefined(Missing))
        {
            problems.Add("missing must be whenBaselineHasNone, always or never.");
        }

        if (Drift is null)
        {
            problems.Add("drift must be an object (or omitted for the defaults).");
        }
        else
        {
            try
            {
                Drift.Validate();
                if (Drift.Overrides is { Count: > MaxOverrides })
                {
                    problems.Add($"drift.overrides has {Drift.Overrides.Count} entries; at most {MaxOverrides}.");
                }

                if (Drift.Overrides is not null)
                {
                    foreach (var name in Drift.Overrides.Keys)
                    {
                        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
                        {
                            problems.Add("drift.overrides keys must be feature names of 1-200 characters.");
                            break;
                        }
                    }
                }
            }
            catch (ArgumentException e)
            {
                problems.Add($"drift.{Camel(e.ParamName)}: {FirstSentence(e.Message)}");
            }
        }

        problems.AddRange(Window?.Problems("window") ?? ["window must be an object such as {\"seconds\": 3600} or {\"rows\": 1000}."]);
        problems.AddRange(Slo?.Problems("slo") ?? ["slo must be an object such as {\"target\": 0.999, \"periodDays\": 30}."]);
        problems.AddRange(GroundTruth?.Problems("groundTruth") ?? ["groundTruth must be an object such as {\"task\": \"binary\"}."]);
        if (OtlpEndpoint is not null
            && (!Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var otlp) || (otlp.Scheme != Uri.UriSchemeHttp && otlp.Scheme != Uri.UriSchemeHttps)
                || OtlpEndpoint.Length > 2000 || !string.IsNullOrEmpty(otlp.UserInfo)))
        {
            problems.Add("otlpEndpoint must be an http(s) URL without credentials, e.g. http://127.0.0.1:4318.");
        }

        if (BaselineFromPredictions is { } rows && rows is < 10 or > 1_000_000)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"baselineFromPredictions must be between 10 and 1000000 rows; got {rows}."));
        }

        return problems;
    }

    /// <summary>Throws a validation-failed problem listing every problem, when there is one.</summary>
    public MonitoringSettings Validated()
    {
        var problems = Problems();
        return problems.Count == 0
            ? this
            : throw ProblemTypes.ValidationFailed.With("The monitoring settings are not valid: " + string.Join(" ", problems));
    }

    /// <summary>The settings as stored (camelCase JSON, enums as strings).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads stored settings; throws <see cref="JsonException"/> when malformed.</summary>
    public static MonitoringSettings FromJson(string json) =>
        JsonSerializer.Deserialize<MonitoringSettings>(json, JsonOptions) ?? throw new JsonException("The monitoring settings are JSON null.");

    private static string Camel(string? name) =>
        string.IsNullOrEmpty(name) ? "value" : char.ToLowerInvariant(name[0]) + name[1..];

    // ArgumentException appends " (Parameter 'x')"; the field is already named in front.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }
}

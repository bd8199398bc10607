using Escala.Core.Problems;

namespace Escala.Core.Privacy;

/// <summary>How long an endpoint's logged data is kept; null keeps it (subject to the global prediction-log retention).</summary>
/// <param name="PredictionsDays">Prediction log lines.</param>
/// <param name="LabelsDays">Ground-truth labels.</param>
/// <param name="SatisfactionDays">User satisfaction ratings (applied once the endpoint records them).</param>
public sealed record RetentionPolicy(int? PredictionsDays = null, int? LabelsDays = null, int? SatisfactionDays = null);

/// <summary>
/// An endpoint's personal-data policy for its prediction log: a policy per field (request fields of records, input
/// names of OIP requests; fields not named are kept), whether the subject key is stored hashed (always, once a policy
/// exists), and retention. Applied to each log line before it is queued, so no raw value reaches the disk; live
/// monitoring (drift windows, shadows) sees the request as sent.
/// </summary>
/// <param name="Fields">Per field name.</param>
/// <param name="Retention">Retention per kind of data.</param>
public sealed record PrivacyPolicy(IReadOnlyDictionary<string, FieldPolicy> Fields, RetentionPolicy Retention)
{
    /// <summary>The most fields a policy may name.</summary>
    public const int MaxFields = 500;

    /// <summary>Builds a policy from its text form, refusing unknown policies, too many fields and impossible retention.</summary>
    public static PrivacyPolicy From(IReadOnlyDictionary<string, string>? fields, RetentionPolicy? retention)
    {
        fields ??= new Dictionary<string, string>();
        if (fields.Count > MaxFields)
        {
            throw ProblemTypes.ValidationFailed.With($"A policy names at most {MaxFields} fields; it names {fields.Count}.");
        }

        var parsed = new Dictionary<string, FieldPolicy>(StringComparer.Ordinal);
        foreach (var (name, text) in fields)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
            {
                throw ProblemTypes.ValidationFailed.With("Field names must be 1-200 characters.");
            }

            parsed[name] = FieldPolicy.Parse(name, text);
        }

        retention ??= new RetentionPolicy();
        foreach (var days in new[] { retention.PredictionsDays, retention.LabelsDays, retention.SatisfactionDays })
        {
            if (days is < 1 or > 36_500)
            {
                throw ProblemTypes.ValidationFailed.With("Retention is a number of days between 1 and 36500 (or absent to keep).");
            }
        }

        return new PrivacyPolicy(parsed, retention);
    }
}

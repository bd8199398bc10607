using System.Globalization;
using Escala.Core.Naming;

namespace Escala.Core.Monitoring.Alerts;

/// <summary>
/// A stored alert rule: a Core <see cref="AlertRule"/> bound to an endpoint and a metric the server computes,
/// with the metric's parameters and the webhooks its fire and resolve events go to.
/// </summary>
/// <param name="Id">Assigned by the store.</param>
/// <param name="Endpoint">The endpoint watched.</param>
/// <param name="Name">Unique per endpoint.</param>
/// <param name="Metric">What is watched.</param>
/// <param name="Feature">For <c>drift.score</c>: the feature.</param>
/// <param name="AccuracyMetric">For <c>accuracy.*</c>: accuracy, precision, recall, f1, auc, log_loss, mae, rmse or r2.</param>
/// <param name="LookbackSeconds">For rates, latency, SLO and ground truth: the period the value covers (null: the metric's default).</param>
/// <param name="Comparison">How the value is compared with the threshold.</param>
/// <param name="Threshold">The firing threshold.</param>
/// <param name="Severity">Info, warning or critical.</param>
/// <param name="ForSeconds">How long the threshold must stay breached before firing.</param>
/// <param name="ResolveThreshold">The value must be back past this to resolve (null: the threshold).</param>
/// <param name="ResolveForSeconds">How long it must stay healthy before resolving.</param>
/// <param name="Webhooks">URLs that receive each fire and resolve event as a JSON POST.</param>
/// <param name="CreatedAt">When the rule was added.</param>
/// <param name="CreatedBy">Who added it.</param>
public sealed record AlertRuleSpec(
    long Id,
    string Endpoint,
    string Name,
    AlertMetric Metric,
    string? Feature,
    string? AccuracyMetric,
    long? LookbackSeconds,
    AlertComparison Comparison,
    double Threshold,
    AlertSeverity Severity,
    long ForSeconds,
    double? ResolveThreshold,
    long ResolveForSeconds,
    IReadOnlyList<string> Webhooks,
    DateTimeOffset CreatedAt,
    string CreatedBy)
{
    /// <summary>The most webhooks one rule may call.</summary>
    public const int MaxWebhooks = 5;

    /// <summary>The longest lookback accepted (31 days).</summary>
    public const long MaxLookbackSeconds = 31L * 24 * 3600;

    /// <summary>The Core rule the evaluator steps.</summary>
    public AlertRule ToRule() => new(Name, MetricName, Comparison, Threshold, Severity)
    {
        For = TimeSpan.FromSeconds(ForSeconds),
        ResolveThreshold = ResolveThreshold,
        ResolveFor = TimeSpan.FromSeconds(ResolveForSeconds),
    };

    /// <summary>The metric as written, with its parameter: <c>drift.score(income)</c>, <c>accuracy.drop(auc)</c>.</summary>
    public string MetricName => Metric switch
    {
        AlertMetric.DriftScore => $"drift.score({Feature})",
        AlertMetric.AccuracyDrop or AlertMetric.AccuracyValue => $"{AlertMetrics.Name(Metric)}({AccuracyMetric})",
        _ => AlertMetrics.Name(Metric),
    };

    /// <summary>The period the value covers.</summary>
    public TimeSpan Lookback => LookbackSeconds is { } s ? TimeSpan.FromSeconds(s) : AlertMetrics.DefaultLookback(Metric);

    /// <summary>Every problem with the rule, each naming its field; empty when it is valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 100 || Name.Any(char.IsControl))
        {
            problems.Add("name must be 1-100 characters without control characters.");
        }

        if (!Enum.IsDefined(Metric))
        {
            problems.Add($"metric must be one of {string.Join(", ", AlertMetrics.AllNames)}.");
        }

        if (Metric == AlertMetric.DriftScore && (string.IsNullOrWhiteSpace(Feature) || Feature.Length > 200))
        {
            problems.Add("drift.score needs 'feature': the feature whose score is watched.");
        }

        if (Metric != AlertMetric.DriftScore && Feature is not null)
        {
            problems.Add("'feature' applies only to drift.score.");
        }

        if (Metric is AlertMetric.AccuracyDrop or AlertMetric.AccuracyValue)
        {
            if (AccuracyMetric is null || !AlertMetrics.AccuracyMetrics.ContainsKey(AccuracyMetric))
            {
                problems.Add($"{AlertMetrics.Name(Metric)} needs 'accuracyMetric': one of {string.Join(", ", AlertMetrics.AccuracyMetrics.Keys)}.");
            }
        }
        else if (AccuracyMetric is not null)
        {
            problems.Add("'accuracyMetric' applies only to accuracy.drop and accuracy.value.");
        }

        if (LookbackSeconds is { } lookback)
        {
            if (!AlertMetrics.HasLookback(Metric))
            {
                problems.Add($"'lookbackSeconds' does not apply to {AlertMetrics.Name(Metric)}, which is judged per drift window.");
            }
            else if (lookback is < 10 or > MaxLookbackSeconds)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"lookbackSeconds must be between 10 and {MaxLookbackSeconds} (31 days); got {lookback}."));
            }
        }

        if (!Enum.IsDefined(Comparison))
        {
            problems.Add("comparison must be greaterThan, greaterOrEqual, lessThan or lessOrEqual.");
        }

        if (!Enum.IsDefined(Severity))
        {
            problems.Add("severity must be info, warning or critical.");
        }

        if (ForSeconds is < 0 or > MaxLookbackSeconds || ResolveForSeconds is < 0 or > MaxLookbackSeconds)
        {
            problems.Add("forSeconds and resolveForSeconds must be between 0 and 31 days.");
        }

        if (Webhooks is null || Webhooks.Count > MaxWebhooks)
        {
            problems.Add($"webhooks must be a list of at most {MaxWebhooks} URLs.");
        }
        else
        {
            foreach (var hook in Webhooks)
            {
                if (hook is null || hook.Length > 2000 || !Uri.TryCreate(hook, UriKind.Absolute, out var uri)
                    || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    problems.Add($"webhook '{ResourceName.Printable(hook ?? "")}' is not an http(s) URL.");
                }
            }
        }

        if (problems.Count == 0)
        {
            try
            {
                ToRule().Validate();
            }
            catch (ArgumentException e)
            {
                problems.Add(e.Message);
            }
        }

        return problems;
    }
}

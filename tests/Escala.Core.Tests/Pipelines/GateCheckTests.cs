using Escala.Core.Pipelines.Gates;

namespace Escala.Core.Tests.Pipelines;

public sealed class GateCheckTests
{
    private static EvaluationMetrics Metrics(double auc, double logLoss, double femaleAuc = double.NaN) => new(
        new Dictionary<string, double> { ["auc"] = auc, ["log_loss"] = logLoss },
        double.IsNaN(femaleAuc)
            ? new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>>()
            : new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>>
            {
                ["sex"] = new Dictionary<string, IReadOnlyDictionary<string, double>>
                {
                    ["Female"] = new Dictionary<string, double> { ["auc"] = femaleAuc },
                    ["Male"] = new Dictionary<string, double> { ["auc"] = auc },
                },
            });

    [Fact]
    public void A_minimum_fails_with_the_value_and_the_minimum()
    {
        var outcome = GateCheck.Apply(new GateRule(GateRuleKind.Threshold, "auc", Min: 0.9), Metrics(0.85, 0.4), null, null);
        Assert.False(outcome.Passed);
        Assert.Equal("auc = 0.85, below the minimum 0.9", outcome.Detail);
    }

    [Fact]
    public void Change_rules_pass_the_first_model_and_say_so()
    {
        var outcome = GateCheck.Apply(new GateRule(GateRuleKind.NoRegression, "auc", Margin: 0.01), Metrics(0.5, 1), null, null);
        Assert.True(outcome.Passed);
        Assert.True(outcome.Skipped);
        Assert.Contains("first model", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Absolute_and_relative_margins_follow_the_metric_direction()
    {
        var champion = Metrics(0.90, 0.30);
        Assert.True(GateCheck.Apply(new GateRule(GateRuleKind.NoRegression, "auc", Margin: 0.01), Metrics(0.895, 0.3), champion, "m:1").Passed);
        var drop = GateCheck.Apply(new GateRule(GateRuleKind.NoRegression, "auc", Margin: 0.01), Metrics(0.88, 0.3), champion, "m:1");
        Assert.False(drop.Passed);
        Assert.Contains("overall: 0.88 vs champion 0.9 (worse by 0.02, allowed 0.01)", drop.Detail, StringComparison.Ordinal);

        // log_loss: lower is better; 10% of 0.30 allows up to 0.33.
        Assert.True(GateCheck.Apply(new GateRule(GateRuleKind.NoRegression, "log_loss", Margin: 0.10, Relative: true), Metrics(0.9, 0.32), champion, "m:1").Passed);
        Assert.False(GateCheck.Apply(new GateRule(GateRuleKind.NoRegression, "log_loss", Margin: 0.10, Relative: true), Metrics(0.9, 0.34), champion, "m:1").Passed);
        Assert.True(GateCheck.Apply(new GateRule(GateRuleKind.NoRegression, "log_loss", Margin: 0.10, Relative: true), Metrics(0.9, 0.10), champion, "m:1").Passed);
    }

    [Fact]
    public void A_slice_that_regresses_fails_even_when_the_whole_holdout_improves()
    {
        var rule = new GateRule(GateRuleKind.NoRegression, "auc", Margin: 0.01, Slice: "sex");
        var outcome = GateCheck.Apply(rule, Metrics(0.93, 0.3, femaleAuc: 0.80), Metrics(0.90, 0.3, femaleAuc: 0.88), "m:1");
        Assert.False(outcome.Passed);
        Assert.Contains("sex=Female: 0.8 vs champion 0.88", outcome.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("sex=Male", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_metric_missing_on_either_side_fails()
    {
        var outcome = GateCheck.Apply(new GateRule(GateRuleKind.Threshold, "rmse", Max: 1), Metrics(0.9, 0.3), null, null);
        Assert.False(outcome.Passed);
        Assert.Contains("has no 'rmse'", outcome.Detail, StringComparison.Ordinal);
    }
}

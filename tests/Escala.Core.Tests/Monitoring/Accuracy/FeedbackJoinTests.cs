using System.Text.Json;
using Escala.Core.Monitoring.Accuracy;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Settings;

namespace Escala.Core.Tests.Monitoring.Accuracy;

public sealed class FeedbackJoinTests
{
    private static readonly DateTimeOffset At = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly AnswerShape Probability = new(new PredictionColumn("p", "float", 0, 1, FeatureKind.Numeric), null, null);

    private static LoggedAnswer Answer(string outputs, string? department = "risk") =>
        new("m:2", department, At, JsonDocument.Parse(outputs).RootElement.Clone());

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static FeedbackRow? Join(string label, string outputs, AnswerShape shape, GroundTruthSetting? setting, out string? refusal, int? row = null) =>
        FeedbackJoin.Interpret("e", new FeedbackItem("r1", Json(label), row), Answer(outputs), shape, setting ?? GroundTruthSetting.Default, At.AddDays(3), out refusal);

    [Theory]
    [InlineData("true", "1")]
    [InlineData("false", "0")]
    [InlineData("1", "1")]
    [InlineData("0", "0")]
    [InlineData("\"1\"", "1")]
    public void A_boolean_or_0_1_label_of_a_probability_is_scored_as_binary(string label, string truth)
    {
        var row = Join(label, """[{"p":[0.73]}]""", Probability, null, out var refusal)!;
        Assert.Null(refusal);
        Assert.Equal(GroundTruthTask.Binary, row.Task);
        Assert.Equal(truth, row.ActualLabel);
        Assert.Equal(0.73, row.PredictedValue!.Value, 6);
        Assert.Equal(("m:2", "risk", At), (row.Target, row.Department, row.PredictedAt));
    }

    [Fact]
    public void Another_number_is_a_regression_target()
    {
        var row = Join("12.5", """[{"p":[10.0]}]""", Probability, null, out _)!;
        Assert.Equal((GroundTruthTask.Regression, 12.5, 10.0), (row.Task, row.ActualValue!.Value, row.PredictedValue!.Value));
    }

    [Fact]
    public void A_text_label_is_multiclass_against_the_label_output_with_the_probability_of_the_truth_from_the_map()
    {
        var shape = new AnswerShape(new PredictionColumn("label", "string", 0, 1, FeatureKind.Categorical), "label", "probabilities");
        var row = Join("\"cat\"", """[{"label":"dog","probabilities":{"cat":0.3,"dog":0.7}}]""", shape, null, out _)!;
        Assert.Equal((GroundTruthTask.Multiclass, "cat", "dog", 0.3), (row.Task, row.ActualLabel, row.PredictedLabel, row.Probability!.Value));
    }

    [Fact]
    public void A_binary_endpoint_reads_the_positive_class_probability_from_a_map_and_its_own_positive_label()
    {
        var shape = new AnswerShape(new PredictionColumn("label", "string", 0, 1, FeatureKind.Categorical), "label", "probabilities");
        var setting = new GroundTruthSetting(GroundTruthTask.Binary, "default", 0.5);
        var row = Join("\"default\"", """[{"label":"repaid","probabilities":{"default":0.2,"repaid":0.8}}]""", shape, setting, out _)!;
        Assert.Equal(("1", 0.2), (row.ActualLabel, row.PredictedValue!.Value));
    }

    [Theory]
    [InlineData("\"maybe\"", """[{"p":[0.5]}]""", "binary", "is not binary")]
    [InlineData("7", """[{"p":[0.5]}]""", "binary", "is not binary")]
    [InlineData("1", """[{"p":[4.2]}]""", "binary", "is not a probability of the positive class")]
    [InlineData("\"x\"", """[{"p":[0.5]}]""", "regression", "is not a number")]
    [InlineData("\"x\"", """[{"p":[0.5]}]""", "multiclass", "has no predicted label")]
    [InlineData("1", """[{"p":[0.5]},{"p":[0.6]}]""", "auto", "has 2 rows; say which one")]
    [InlineData("null", """[{"p":[0.5]}]""", "auto", "is not a class label")]
    public void A_label_that_cannot_be_scored_is_refused_saying_why(string label, string outputs, string task, string expected)
    {
        var setting = GroundTruthSetting.Default with { Task = Enum.Parse<GroundTruthTask>(task, ignoreCase: true) };
        Assert.Null(Join(label, outputs, Probability, setting, out var refusal));
        Assert.Contains(expected, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_of_a_multi_row_request_is_chosen_with_row_and_must_exist()
    {
        Assert.Equal(0.6, Join("1", """[{"p":[0.5]},{"p":[0.6]}]""", Probability, null, out _, row: 1)!.PredictedValue!.Value, 6);
        Assert.Null(Join("1", """[{"p":[0.5]}]""", Probability, null, out var refusal, row: 3));
        Assert.Contains("row 3 is not in the logged answer", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_default_answer_has_no_version_to_score()
    {
        var answer = new LoggedAnswer(null, null, At, Json("""[{"p":[0.5]}]"""));
        Assert.Null(FeedbackJoin.Interpret("e", new FeedbackItem("r", Json("1")), answer, Probability, GroundTruthSetting.Default, At, out var refusal));
        Assert.Contains("default answer", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_request_has_nothing_to_score()
    {
        var answer = new LoggedAnswer(null, null, At, Json("""{"failure":"timeout","detail":"m:1: deadline"}"""));
        Assert.Null(FeedbackJoin.Interpret("e", new FeedbackItem("r", Json("1")), answer, Probability, GroundTruthSetting.Default, At, out var refusal));
        Assert.Equal("the request failed (timeout); there is no prediction to score", refusal);
    }

    [Fact]
    public void Metrics_per_version_and_department_match_the_accumulators()
    {
        FeedbackRow Binary(string department, bool actual, double score) =>
            new("e", Guid.NewGuid().ToString(), 0, "m:1", department, At, At, GroundTruthTask.Binary, actual ? "1" : "0", null, null, score, null);
        var rows = new[]
        {
            // scikit-learn's roc_auc_score example: y = [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8] -> 0.75.
            Binary("a", false, 0.1), Binary("a", false, 0.4), Binary("b", true, 0.35), Binary("b", true, 0.8),
            new FeedbackRow("e", "r9", 0, "m:2", null, At, At, GroundTruthTask.Regression, null, 3, null, 2.5, null),
            new FeedbackRow("e", "r10", 0, "m:2", null, At, At, GroundTruthTask.Regression, null, -0.5, null, 0, null),
        };

        var all = GroundTruthMetrics.Compute(rows, 0.5, byDepartment: false);
        Assert.Equal(0.75, all[0].Value("auc"), 12);
        Assert.Equal(0.75, all[0].Value("accuracy"), 12);
        Assert.Equal(0.5, all[1].Value("mae"), 12);
        Assert.True(double.IsNaN(all[1].Value("auc")));

        var byDepartment = GroundTruthMetrics.Compute(rows, 0.5, byDepartment: true);
        Assert.Equal(["a", "b", null], byDepartment.Select(m => m.Department));
        Assert.Equal(2, byDepartment[0].Labels);
    }
}

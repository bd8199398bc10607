using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Settings;
using Escala.Core.Problems;

namespace Escala.Core.Tests.Monitoring.Settings;

public sealed class MonitoringSettingsTests
{
    [Fact]
    public void The_defaults_are_valid_and_as_documented()
    {
        var defaults = MonitoringSettings.Defaults;
        Assert.Empty(defaults.Problems());
        Assert.Equal(QualityPolicy.Flag, defaults.Quality);
        Assert.Equal(new DriftRule(DriftMethod.Auto, 0.1), defaults.Drift.Numeric);
        Assert.Equal(new DriftRule(DriftMethod.Auto, 0.1), defaults.Drift.Categorical);
        Assert.Equal(1_000, defaults.Drift.LargeWindow);
        Assert.Equal(TimeSpan.FromHours(1), defaults.Window.ToSpec().Length);
        Assert.Equal(0.999, defaults.Slo.Target);
        Assert.Null(defaults.OtlpEndpoint);
    }

    [Fact]
    public void Settings_round_trip_through_their_stored_json()
    {
        var settings = MonitoringSettings.Defaults with
        {
            Quality = QualityPolicy.Reject,
            Drift = DriftPolicy.Default with { Overrides = new Dictionary<string, DriftRule> { ["age"] = new(DriftMethod.KolmogorovSmirnov, 0.05) } },
            Window = new WindowSetting(Rows: 500),
            GroundTruth = new GroundTruthSetting(GroundTruthTask.Binary, "yes", 0.3),
        };

        var copy = MonitoringSettings.FromJson(settings.ToJson());

        Assert.Equal(QualityPolicy.Reject, copy.Quality);
        Assert.Equal(new DriftRule(DriftMethod.KolmogorovSmirnov, 0.05), copy.Drift.RuleFor("age", Core.Monitoring.Baselines.FeatureKind.Numeric));
        Assert.Equal(500, copy.Window.ToSpec().Rows);
        Assert.Equal(settings.GroundTruth, copy.GroundTruth);
        Assert.Contains("\"quality\":\"reject\"", settings.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_listed_at_once_naming_its_field()
    {
        var bad = MonitoringSettings.Defaults with
        {
            RangeTolerance = double.NaN,
            Window = new WindowSetting(),
            Slo = new SloSetting(Target: 1, PeriodDays: 0),
            OtlpEndpoint = "http://user:secret@collector:4318",
            BaselineFromPredictions = 1,
        };

        var problems = bad.Problems();
        Assert.Equal(6, problems.Count);
        var detail = Assert.Throws<ProblemException>(() => bad.Validated()).Detail;
        foreach (var field in new[] { "rangeTolerance", "window:", "slo.target", "slo.periodDays", "otlpEndpoint", "baselineFromPredictions" })
        {
            Assert.Contains(field, detail, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("1h", 3600L, null)]
    [InlineData("90s", 90L, null)]
    [InlineData("30m", 1800L, null)]
    [InlineData("7d", 604800L, null)]
    [InlineData("500rows", null, 500L)]
    [InlineData("500r", null, 500L)]
    public void Window_text_reads_as_time_or_rows(string text, long? seconds, long? rows)
    {
        Assert.Equal(new WindowSetting(seconds, rows), WindowSetting.Parse(text));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-1h")]
    [InlineData("h")]
    public void Window_text_that_is_neither_is_refused(string text) => Assert.Null(WindowSetting.Parse(text));
}

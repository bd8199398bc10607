using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Windows;

namespace Escala.Core.Tests.Monitoring.Drift;

public sealed class DriftDetectorTests
{
    private static readonly string[] Colours = ["red", "green", "blue"];

    [Fact]
    public void A_window_from_the_reference_distribution_is_stable_on_every_column()
    {
        var (baseline, _) = Build(20_000, shift: 0, seed: 1);
        var report = new DriftDetector(baseline).Evaluate(Window(baseline, 5_000, shift: 0, seed: 2));

        Assert.All(report.Features, f => Assert.Equal(DriftVerdict.Stable, f.Verdict));
        Assert.Equal(DriftVerdict.Stable, report.Prediction!.Verdict);
        Assert.False(report.AnyFeatureDrift);
        Assert.Equal(3, report.ColumnsJudged);
    }

    [Fact]
    public void A_shifted_numeric_feature_and_a_changed_category_mix_are_reported_as_drift()
    {
        var (baseline, _) = Build(20_000, shift: 0, seed: 1);
        var report = new DriftDetector(baseline).Evaluate(Window(baseline, 5_000, shift: 1.0, seed: 3));

        Assert.Equal(["amount", "colour"], report.DriftedFeatures);
        var amount = report.Features[0];
        Assert.True(amount.Psi >= 0.2, $"PSI {amount.Psi}");
        Assert.True(amount.KsPValue < 1e-10);
        Assert.Equal(1.0, amount.WindowMean!.Value - amount.BaselineMean!.Value, 0.1);
        Assert.True(report.Features[1].JensenShannon >= 0.1);
    }

    [Theory]
    [InlineData(500, DriftMethod.KolmogorovSmirnov, DriftMethod.ChiSquare)]
    [InlineData(999, DriftMethod.KolmogorovSmirnov, DriftMethod.ChiSquare)]
    [InlineData(1_000, DriftMethod.Wasserstein, DriftMethod.JensenShannon)]
    [InlineData(20_000, DriftMethod.Wasserstein, DriftMethod.JensenShannon)]
    public void The_default_judges_small_windows_by_a_test_and_large_ones_by_an_effect_size(int rows, DriftMethod numeric, DriftMethod categorical)
    {
        var (baseline, _) = Build(20_000, shift: 0, seed: 1);
        var report = new DriftDetector(baseline).Evaluate(Window(baseline, rows, shift: 0, seed: 5));

        Assert.Equal((numeric, categorical), (report.Features[0].Method, report.Features[1].Method));
        // Tests report the family-wise level they were held to; effect sizes the default distance of 0.1.
        Assert.Equal(rows < 1_000 ? DriftPolicy.Default.Alpha : 0.1, report.Features[0].Threshold);
        Assert.All(report.Features, f => Assert.Equal(DriftVerdict.Stable, f.Verdict));
    }

    [Fact]
    public void On_a_large_window_a_fifth_of_a_standard_deviation_drifts_and_a_twentieth_does_not()
    {
        // Amounts are N(10, 2): a shift of 0.4 is 0.2 sd, which Evidently's defaults flag on large windows; PSI >= 0.2 did not.
        var (baseline, _) = Build(100_000, shift: 0, seed: 1);
        var detector = new DriftDetector(baseline);
        var moved = detector.Evaluate(Window(baseline, 100_000, shift: 0.4, seed: 6, colourShift: false)).Features[0];
        var nudged = detector.Evaluate(Window(baseline, 100_000, shift: 0.1, seed: 7, colourShift: false)).Features[0];

        Assert.Equal((DriftMethod.Wasserstein, DriftVerdict.Drifted), (moved.Method, moved.Verdict));
        Assert.Equal(0.2, moved.Score, 0.03);
        Assert.True(moved.Psi < 0.2, $"PSI {moved.Psi} would have fired too");
        Assert.Equal(DriftVerdict.Stable, nudged.Verdict);
    }

    [Fact]
    public void A_small_window_is_insufficient_data_rather_than_noise()
    {
        var (baseline, _) = Build(5_000, shift: 0, seed: 1);
        var report = new DriftDetector(baseline).Evaluate(Window(baseline, 50, shift: 3, seed: 4));

        Assert.All(report.Features, f => Assert.Equal(DriftVerdict.InsufficientData, f.Verdict));
        Assert.Equal(0, report.ColumnsJudged);
    }

    [Fact]
    public void A_large_distance_without_significance_does_not_fire()
    {
        // 150 rows: PSI over 10 bins is noisy (expected ≈ 9/150 ≈ 0.06, often more), but the KS gate stops noise from firing.
        var (baseline, _) = Build(20_000, shift: 0, seed: 1);
        var detector = new DriftDetector(baseline, DriftPolicy.Default with { Numeric = new DriftRule(DriftMethod.Psi, 0.05) });
        var fired = 0;
        for (var seed = 10; seed < 40; seed++)
        {
            fired += detector.Evaluate(Window(baseline, 150, shift: 0, seed: seed)).Features[0].Verdict == DriftVerdict.Drifted ? 1 : 0;
        }

        Assert.True(fired <= 1, $"{fired} of 30 noise windows fired");
    }

    [Fact]
    public void Test_methods_use_a_bonferroni_corrected_significance_level()
    {
        var (baseline, _) = Build(20_000, shift: 0, seed: 1);
        var policy = DriftPolicy.Default with
        {
            Numeric = new DriftRule(DriftMethod.KolmogorovSmirnov, 0.05),
            Categorical = new DriftRule(DriftMethod.ChiSquare, 0.05),
        };
        var report = new DriftDetector(baseline, policy).Evaluate(Window(baseline, 5_000, shift: 1.0, seed: 3));

        var amount = report.Features[0];
        Assert.Equal(DriftMethod.KolmogorovSmirnov, amount.Method);
        Assert.Equal(amount.KsPValue, amount.Score);
        Assert.Equal(DriftVerdict.Drifted, amount.Verdict);
        Assert.Equal(DriftVerdict.Drifted, report.Features[1].Verdict);
    }

    [Fact]
    public void Categorical_columns_refuse_methods_that_need_ordered_values()
    {
        var (baseline, _) = Build(1_000, shift: 0, seed: 1);
        var policy = DriftPolicy.Default with { Overrides = new Dictionary<string, DriftRule> { ["colour"] = new(DriftMethod.KolmogorovSmirnov, 0.05) } };

        var error = Assert.Throws<ArgumentException>(() => new DriftDetector(baseline, policy));
        Assert.Contains("colour", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_thresholds_are_refused_with_the_setting_named()
    {
        var (baseline, _) = Build(1_000, shift: 0, seed: 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DriftDetector(baseline, DriftPolicy.Default with { Categorical = new DriftRule(DriftMethod.ChiSquare, 5) }));
        Assert.Contains("Categorical", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unseen_categories_are_counted_in_other_and_raise_drift()
    {
        var builder = new BaselineBuilder(["c"]);
        for (var i = 0; i < 3_000; i++)
        {
            builder.Add([FeatureValue.Of(Colours[i % 3])]);
        }

        var baseline = builder.Build();
        var window = new WindowAccumulator(baseline);
        for (var i = 0; i < 3_000; i++)
        {
            window.Add([FeatureValue.Of(i % 2 == 0 ? "purple" : Colours[i % 3])]);
        }

        var report = new DriftDetector(baseline).Evaluate(window.Close(default, default));
        var colour = report.Features[0];
        Assert.Equal(DriftVerdict.Drifted, colour.Verdict);
        Assert.Equal("(other)", colour.Histogram.Labels[^1]);
        Assert.Equal(0.5, colour.Histogram.Window[^1], 1e-9);
    }

    [Fact]
    public void The_report_serialises_to_json_with_verdicts_as_strings()
    {
        var (baseline, _) = Build(2_000, shift: 0, seed: 1);
        var json = new DriftDetector(baseline).Evaluate(Window(baseline, 500, shift: 1, seed: 5)).ToJson();

        Assert.Contains("\"verdict\":\"drifted\"", json, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"amount\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_window_taken_over_another_baseline_is_refused()
    {
        var (baseline, _) = Build(1_000, shift: 0, seed: 1);
        var other = Samples.Baseline("amount", Samples.Normal(1_000, 0, 1, seed: 2));
        var window = new WindowAccumulator(other);
        window.Add([FeatureValue.Of(1)]);

        Assert.Throws<ArgumentException>(() => new DriftDetector(baseline).Evaluate(window.Close(default, default)));
    }

    [Fact]
    public void A_policy_stored_as_json_reads_back_the_same()
    {
        var options = new System.Text.Json.JsonSerializerOptions { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
        var policy = DriftPolicy.Default with
        {
            Alpha = 0.05,
            Overrides = new Dictionary<string, DriftRule> { ["amount"] = new(DriftMethod.Wasserstein, 0.25) },
        };

        var copy = System.Text.Json.JsonSerializer.Deserialize<DriftPolicy>(System.Text.Json.JsonSerializer.Serialize(policy, options), options)!;
        copy.Validate();
        Assert.Equal(policy.Numeric, copy.Numeric);
        Assert.Equal(0.05, copy.Alpha);
        Assert.Equal(new DriftRule(DriftMethod.Wasserstein, 0.25), copy.RuleFor("amount", FeatureKind.Numeric));
    }

    /// <summary>A baseline of a numeric "amount", a categorical "colour" and a numeric prediction.</summary>
    internal static (BaselineProfile Baseline, double[] Amounts) Build(int rows, double shift, int seed)
    {
        var amounts = Samples.Normal(rows, 10 + shift, 2, seed);
        var random = new Random(seed + 1000);
        var builder = new BaselineBuilder(["amount", "colour"]);
        foreach (var amount in amounts)
        {
            builder.Add([FeatureValue.Of(amount), FeatureValue.Of(Colour(random, shift))], FeatureValue.Of(amount / 20));
        }

        return (builder.Build(), amounts);
    }

    internal static WindowSnapshot Window(BaselineProfile baseline, int rows, double shift, int seed, bool colourShift = true)
    {
        var accumulator = new WindowAccumulator(baseline);
        var amounts = Samples.Normal(rows, 10 + shift, 2, seed);
        var random = new Random(seed + 1000);
        foreach (var amount in amounts)
        {
            accumulator.Add([FeatureValue.Of(amount), FeatureValue.Of(Colour(random, colourShift ? shift : 0))], FeatureValue.Of(amount / 20));
        }

        return accumulator.Close(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1));
    }

    private static string Colour(Random random, double shift)
    {
        // Reference mix 60/30/10; a shift moves most of the mass to blue.
        var u = random.NextDouble();
        return shift == 0
            ? u < 0.6 ? "red" : u < 0.9 ? "green" : "blue"
            : u < 0.2 ? "red" : u < 0.4 ? "green" : "blue";
    }
}

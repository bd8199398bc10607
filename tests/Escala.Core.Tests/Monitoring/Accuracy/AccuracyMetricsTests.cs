using Escala.Core.Monitoring.Accuracy;

namespace Escala.Core.Tests.Monitoring.Accuracy;

public sealed class AccuracyMetricsTests
{
    private const double Tolerance = 1e-6;

    [Fact]
    public void Roc_auc_matches_the_scikit_learn_documentation_example()
    {
        // sklearn.metrics.roc_auc_score docs: y_true [0, 0, 1, 1], y_scores [0.1, 0.4, 0.35, 0.8] -> 0.75.
        // By hand: of the 4 positive-negative pairs, 0.35 beats 0.1, loses to 0.4; 0.8 beats both: 3/4.
        var accumulator = Fill((false, 0.1), (false, 0.4), (true, 0.35), (true, 0.8));
        Assert.Equal(0.75, accumulator.Snapshot().RocAuc, Tolerance);
    }

    [Fact]
    public void Roc_auc_counts_tied_scores_as_one_half_like_mann_whitney()
    {
        // Positives {0.5, 0.9}, negatives {0.5, 0.2}: 0.5~0.5 tie = 1/2, 0.5 > 0.2, 0.9 beats both: (0.5 + 1 + 2) / 4 = 0.875.
        var accumulator = Fill((false, 0.5), (true, 0.5), (false, 0.2), (true, 0.9));
        Assert.Equal(0.875, accumulator.Snapshot().RocAuc, Tolerance);
    }

    [Fact]
    public void Log_loss_matches_the_scikit_learn_documentation_example()
    {
        // sklearn.metrics.log_loss docs: log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]])
        // -> 0.21616187468057912 (spam positive; = -(ln .9 + ln .9 + ln .8 + ln .65)/4).
        var accumulator = Fill((true, 0.9), (false, 0.1), (false, 0.2), (true, 0.65));
        Assert.Equal(0.21616187468057912, accumulator.Snapshot().LogLoss, Tolerance);
    }

    [Fact]
    public void Confusion_counts_give_accuracy_precision_recall_and_f1()
    {
        // Threshold 0.5. TP: 0.9, 0.6; FN: 0.4; FP: 0.7; TN: 0.1, 0.2.
        // Accuracy 4/6, precision 2/3, recall 2/3, F1 2/3.
        var metrics = Fill((true, 0.9), (true, 0.6), (true, 0.4), (false, 0.7), (false, 0.1), (false, 0.2)).Snapshot();
        Assert.Equal((2L, 1L, 2L, 1L), (metrics.TruePositives, metrics.FalsePositives, metrics.TrueNegatives, metrics.FalseNegatives));
        Assert.Equal(4.0 / 6, metrics.Accuracy, Tolerance);
        Assert.Equal(2.0 / 3, metrics.Precision, Tolerance);
        Assert.Equal(2.0 / 3, metrics.Recall, Tolerance);
        Assert.Equal(2.0 / 3, metrics.F1, Tolerance);
    }

    [Fact]
    public void Undefined_metrics_are_nan_not_zero()
    {
        var metrics = Fill((false, 0.1), (false, 0.2)).Snapshot();
        Assert.True(double.IsNaN(metrics.RocAuc));
        Assert.True(double.IsNaN(metrics.Precision));
        Assert.True(double.IsNaN(new BinaryClassificationAccumulator().Snapshot().Accuracy));
    }

    [Fact]
    public void Merged_accumulators_equal_one_that_saw_everything()
    {
        var random = new Random(4);
        var all = new BinaryClassificationAccumulator();
        var a = new BinaryClassificationAccumulator();
        var b = new BinaryClassificationAccumulator();
        for (var i = 0; i < 5_000; i++)
        {
            var actual = random.NextDouble() < 0.3;
            var score = Math.Round(Math.Clamp((actual ? 0.6 : 0.4) + ((random.NextDouble() - 0.5) * 0.8), 0, 1), 3);
            all.Add(actual, score);
            (i % 2 == 0 ? a : b).Add(actual, score);
        }

        a.Merge(b);
        var (x, y) = (all.Snapshot(), a.Snapshot());

        // Counts and AUC are exact; the log-loss sum differs only by floating-point summation order.
        Assert.Equal(x with { LogLoss = 0 }, y with { LogLoss = 0 });
        Assert.Equal(x.LogLoss, y.LogLoss, 1e-12);
    }

    [Fact]
    public void Scores_outside_zero_one_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryClassificationAccumulator().Add(true, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryClassificationAccumulator().Add(true, double.NaN));
    }

    [Fact]
    public void Regression_metrics_match_the_scikit_learn_documentation_examples()
    {
        // sklearn docs: y_true [3, -0.5, 2, 7], y_pred [2.5, 0.0, 2, 8]: mean_absolute_error 0.5, mean_squared_error 0.375,
        // r2_score 0.948... By hand: SSE = 0.25 + 0.25 + 0 + 1 = 1.5; mean 2.875; SST = 0.015625 + 11.390625 + 0.765625 + 17.015625 = 29.1875;
        // R² = 1 - 1.5/29.1875 = 0.9486081370449679; RMSE = √0.375.
        var accumulator = new RegressionAccumulator();
        foreach (var (y, p) in new[] { (3.0, 2.5), (-0.5, 0.0), (2.0, 2.0), (7.0, 8.0) })
        {
            accumulator.Add(y, p);
        }

        var metrics = accumulator.Snapshot();
        Assert.Equal(0.5, metrics.Mae, Tolerance);
        Assert.Equal(Math.Sqrt(0.375), metrics.Rmse, Tolerance);
        Assert.Equal(1 - (1.5 / 29.1875), metrics.R2, Tolerance);
    }

    [Fact]
    public void Regression_accumulators_merge_exactly()
    {
        var all = new RegressionAccumulator();
        var a = new RegressionAccumulator();
        var b = new RegressionAccumulator();
        var values = Samples.Normal(1_001, 100, 15, seed: 9);
        for (var i = 0; i < values.Length; i++)
        {
            var predicted = values[i] + ((i % 7) - 3);
            all.Add(values[i], predicted);
            (i < 300 ? a : b).Add(values[i], predicted);
        }

        a.Merge(b);
        var (x, y) = (all.Snapshot(), a.Snapshot());
        Assert.Equal(x.Count, y.Count);
        Assert.Equal(x.Mae, y.Mae, 1e-9);
        Assert.Equal(x.Rmse, y.Rmse, 1e-9);
        Assert.Equal(x.R2, y.R2, 1e-9);
    }

    [Fact]
    public void Multiclass_macro_metrics_match_the_scikit_learn_documentation_example()
    {
        // sklearn.metrics.precision_score / recall_score / f1_score docs: y_true [0, 1, 2, 0, 1, 2], y_pred [0, 2, 1, 0, 0, 1]
        // average='macro' -> precision 0.22..., recall 0.33..., f1 0.26...
        // By hand: class 0 precision 2/3 recall 1 F1 0.8; classes 1 and 2 have no true positive (0, 0, 0).
        var accumulator = new MulticlassAccumulator(3);
        int[] truth = [0, 1, 2, 0, 1, 2];
        int[] predicted = [0, 2, 1, 0, 0, 1];
        for (var i = 0; i < truth.Length; i++)
        {
            accumulator.Add(truth[i], predicted[i]);
        }

        var metrics = accumulator.Snapshot();
        Assert.Equal(2.0 / 9, metrics.MacroPrecision, Tolerance);
        Assert.Equal(1.0 / 3, metrics.MacroRecall, Tolerance);
        Assert.Equal(0.8 / 3, metrics.MacroF1, Tolerance);
        Assert.Equal(2.0 / 6, metrics.Accuracy, Tolerance);
        Assert.True(double.IsNaN(metrics.LogLoss));
    }

    private static BinaryClassificationAccumulator Fill(params (bool Actual, double Score)[] pairs)
    {
        var accumulator = new BinaryClassificationAccumulator();
        foreach (var (actual, score) in pairs)
        {
            accumulator.Add(actual, score);
        }

        return accumulator;
    }
}

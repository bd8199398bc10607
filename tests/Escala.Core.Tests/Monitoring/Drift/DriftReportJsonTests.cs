using Escala.Core.Monitoring.Drift;

namespace Escala.Core.Tests.Monitoring.Drift;

public sealed class DriftReportJsonTests
{
    [Fact]
    public void A_stored_report_reads_back_with_every_statistic_and_histogram()
    {
        var (baseline, _) = DriftDetectorTests.Build(2_000, shift: 0, seed: 1);
        var report = new DriftDetector(baseline).Evaluate(DriftDetectorTests.Window(baseline, 50, shift: 1, seed: 3));

        var copy = DriftReport.FromJson(report.ToJson());

        Assert.Equal(report.ToJson(), copy.ToJson());
        Assert.Equal(DriftVerdict.InsufficientData, copy.Features[0].Verdict);
        Assert.True(double.IsFinite(copy.Features[0].Psi));
        Assert.Equal(report.Features[1].Histogram.Labels, copy.Features[1].Histogram.Labels);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("{\"features\":[{\"name\":\"a\"}]}")]
    public void A_corrupted_stored_report_is_refused(string json) => Assert.Throws<FormatException>(() => DriftReport.FromJson(json));
}

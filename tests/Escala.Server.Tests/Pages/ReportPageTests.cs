using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Windows;
using Escala.Server.Pages.Charts;
using Escala.Server.Pages.Reports;

namespace Escala.Server.Tests.Pages;

public sealed class ReportPageTests
{
    [Fact]
    public void The_drift_page_lists_every_column_with_its_verdict_and_a_histogram_each()
    {
        var (baseline, _) = DriftSamples.Build(2_000, shift: 0, seed: 1);
        var report = new DriftDetector(baseline).Evaluate(DriftSamples.Window(baseline, 1_000, shift: 2, seed: 7));

        var html = DriftReportPage.Render("credit", "credit:2", "the latest closed window (#4)", report, DriftPolicy.Default);

        Assert.Equal(3, CountOf(html, "<svg"));
        Assert.Contains("<td class=\"drifted\">drifted</td>", html, StringComparison.Ordinal);
        Assert.Contains("Drift report: credit (credit:2)", html, StringComparison.Ordinal);
        Assert.Contains("drifted: amount", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Names_from_user_data_are_escaped_everywhere_in_the_page()
    {
        var builder = new BaselineBuilder(["<script>alert(1)</script>"]);
        for (var i = 0; i < 500; i++)
        {
            builder.Add([FeatureValue.Of(i % 2 == 0 ? "\"<b>\"" : "x&y")]);
        }

        var baseline = builder.Build();
        var window = new WindowAccumulator(baseline);
        for (var i = 0; i < 200; i++)
        {
            window.Add([FeatureValue.Of("x&y")]);
        }

        var html = DriftReportPage.Render("e", "m:1", "w", new DriftDetector(baseline).Evaluate(window.Close(default, default)), DriftPolicy.Default);

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("x&amp;y", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_histogram_draws_two_bars_per_bin_scaled_to_the_largest_share()
    {
        var svg = HistogramSvg.Render(new DriftHistogram(["a", "b"], [0.5, 0.5], [0.9, 0.1]), "t");

        Assert.Equal(1 + 4 + 2, CountOf(svg, "<rect"));
        Assert.Contains("a: window 90.00%", svg, StringComparison.Ordinal);
        Assert.Contains(">90%</text>", svg, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

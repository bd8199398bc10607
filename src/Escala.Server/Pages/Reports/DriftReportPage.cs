using System.Globalization;
using System.Text;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Drift;
using Escala.Server.Pages.Charts;

namespace Escala.Server.Pages.Reports;

/// <summary>
/// A drift report: what was compared (endpoint, version, window, rows, policy), a table of every column's statistics
/// with its method, threshold and verdict (drifted first), and for each column an inline SVG histogram of baseline vs
/// window shares. As a standalone page (<see cref="Render"/>) or as a section of the dashboard (<see cref="Body"/>).
/// </summary>
public static class DriftReportPage
{
    /// <summary>The standalone page for <paramref name="report"/> of <paramref name="target"/> behind <paramref name="endpoint"/>; <paramref name="window"/> says which window(s).</summary>
    public static string Render(string endpoint, string target, string window, DriftReport report, DriftPolicy policy) =>
        PageLayout.Standalone(Title(endpoint, target), "<h1>" + Html.Encode(Title(endpoint, target)) + "</h1>\n" + Body(window, report, policy, 2));

    /// <summary>The report without its title; section headings at level <paramref name="level"/>.</summary>
    public static string Body(string window, DriftReport report, DriftPolicy policy, int level)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(policy);
        var c = CultureInfo.InvariantCulture;
        var columns = report.Features.Select(f => (Feature: f, IsPrediction: false)).ToList();
        if (report.Prediction is { } prediction)
        {
            columns.Add((prediction, true));
        }

        var ordered = columns.OrderBy(x => x.Feature.Verdict switch { DriftVerdict.Drifted => 0, DriftVerdict.Stable => 1, _ => 2 })
            .ThenByDescending(x => DriftMethods.IsTest(x.Feature.Method) ? -x.Feature.Score : x.Feature.Score).ToList();
        var html = new StringBuilder(16 * 1024);
        var drifted = report.DriftedFeatures;
        var headline = drifted.Count == 0
            ? "No feature drifted."
            : string.Create(c, $"{drifted.Count} of {report.Features.Count(f => f.Verdict != DriftVerdict.InsufficientData)} judged features drifted: {string.Join(", ", drifted)}.");
        html.Append("<p><strong>").Text(headline)
            .Append(report.Prediction?.Verdict == DriftVerdict.Drifted ? " The prediction drifted." : "")
            .Append("</strong></p>\n");
        html.Append("<table class=\"facts\">\n");
        html.Fact("Window", window);
        html.Fact("From", report.Start.ToString("u", c));
        html.Fact("To", report.End.ToString("u", c));
        html.Fact("Rows", report.Rows.ToString("N0", c));
        html.Fact("Columns judged", report.ColumnsJudged.ToString(c));
        var rules = string.Create(c,
            $"numeric {Method(policy.Numeric.Method)} ≥ {policy.Numeric.Threshold}, categorical {Method(policy.Categorical.Method)} ≥ {policy.Categorical.Threshold}; significance gate: p < {policy.Alpha} / columns judged (Bonferroni); at least {policy.MinimumCount} values per column");
        if (policy.Overrides is { Count: > 0 } overrides)
        {
            rules += "; overrides: " + string.Join(", ", overrides.Select(p => string.Create(c, $"{p.Key} {Method(p.Value.Method)} {p.Value.Threshold}")));
        }

        html.Fact("Policy", rules);
        html.Append("</table>\n");

        html.Append(c, $"<h{level}>Statistics</h{level}>\n").Append("<table class=\"stats\">\n<thead><tr><th scope=\"col\">column</th><th scope=\"col\">kind</th><th scope=\"col\">method</th><th scope=\"col\">statistic</th><th scope=\"col\">threshold</th><th scope=\"col\">verdict</th>")
            .Append("<th scope=\"col\">PSI</th><th scope=\"col\">Jensen-Shannon</th><th scope=\"col\">KS D (p)</th><th scope=\"col\">W1 / sd</th><th scope=\"col\">chi-square p</th><th scope=\"col\">missing (baseline → window)</th><th scope=\"col\">mean (baseline → window)</th></tr></thead>\n");
        foreach (var (f, isPrediction) in ordered)
        {
            html.Append("<tr><td>").Text(f.Name).Append(isPrediction ? " <em>(prediction)</em>" : "").Append("</td>")
                .Append("<td>").Append(f.Kind == FeatureKind.Numeric ? "numeric" : "categorical").Append("</td>")
                .Append("<td>").Append(Method(f.Method)).Append("</td>")
                .Append("<td>").Append(N(f.Score)).Append("</td>")
                .Append("<td>").Append(DriftMethods.IsTest(f.Method) ? "p < " + N(f.Threshold / Math.Max(1, report.ColumnsJudged)) : "≥ " + N(f.Threshold)).Append("</td>")
                .Append("<td class=\"").Append(Css(f.Verdict)).Append("\">").Append(Verdict(f.Verdict)).Append("</td>")
                .Append("<td>").Append(N(f.Psi)).Append("</td><td>").Append(N(f.JensenShannon)).Append("</td>")
                .Append("<td>").Append(f.KsStatistic is { } d ? $"{N(d)} ({N(f.KsPValue ?? double.NaN)})" : "").Append("</td>")
                .Append("<td>").Append(f.WassersteinNormalized is { } w ? N(w) : "").Append("</td>")
                .Append("<td>").Append(f.ChiSquarePValue is { } p ? N(p) : "").Append("</td>")
                .Append("<td>").Append(string.Create(c, $"{f.BaselineMissingRate * 100:0.0}% → {f.WindowMissingRate * 100:0.0}%")).Append("</td>")
                .Append("<td>").Append(f.BaselineMean is { } bm && f.WindowMean is { } wm ? $"{N(bm)} → {N(wm)}" : "").Append("</td></tr>\n");
        }

        html.Append("</table>\n");
        foreach (var (f, isPrediction) in ordered)
        {
            html.Append(c, $"<section><h{level}>").Text(f.Name).Append(isPrediction ? " (prediction)" : "").Append(" — <span class=\"").Append(Css(f.Verdict)).Append("\">")
                .Append(Verdict(f.Verdict)).Append("</span>, ").Append(Method(f.Method)).Append(' ').Append(N(f.Score)).Append(c, $"</h{level}>\n")
                .Append(HistogramSvg.Render(f.Histogram, $"{f.Name}: baseline vs window share per bin")).Append("\n</section>\n");
        }

        return html.ToString();
    }

    private static string Title(string endpoint, string target) => $"Drift report: {endpoint} ({target})";

    private static string Method(DriftMethod method) => DriftMethods.ShortName(method);

    /// <summary>A verdict in words.</summary>
    public static string Verdict(DriftVerdict verdict) => verdict switch
    {
        DriftVerdict.Drifted => "drifted",
        DriftVerdict.Stable => "stable",
        _ => "insufficient data",
    };

    /// <summary>The style class of a verdict.</summary>
    public static string Css(DriftVerdict verdict) => verdict switch
    {
        DriftVerdict.Drifted => "drifted",
        DriftVerdict.Stable => "stable",
        _ => "insufficient",
    };

    private static string N(double value) => Html.Number(value);
}

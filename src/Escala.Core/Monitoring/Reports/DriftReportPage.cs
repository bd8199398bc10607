using System.Globalization;
using System.Text;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Drift;

namespace Escala.Core.Monitoring.Reports;

/// <summary>
/// A drift report as a standalone HTML page: what was compared (endpoint, version, window, rows, policy), a table of
/// every column's statistics with its method, threshold and verdict (drifted first), and for each column an inline
/// SVG histogram of baseline vs window shares. No script and no remote content (a strict CSP is set in the page).
/// </summary>
public static class DriftReportPage
{
    /// <summary>The page for <paramref name="report"/> of <paramref name="target"/> behind <paramref name="endpoint"/>; <paramref name="window"/> says which window(s).</summary>
    public static string Render(string endpoint, string target, string window, DriftReport report, DriftPolicy policy)
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
            .ThenByDescending(x => x.Feature.Method is DriftMethod.KolmogorovSmirnov or DriftMethod.ChiSquare ? -x.Feature.Score : x.Feature.Score).ToList();
        var html = new StringBuilder(16 * 1024);
        var title = $"Drift report: {endpoint} ({target})";
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>\n");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
        html.Append("<style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}")
            .Append("table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:right}")
            .Append("td:first-child,th:first-child{text-align:left}.drifted{color:#cf222e;font-weight:600}.stable{color:#1a7f37}.insufficient{color:#57606a}")
            .Append("section{margin:1.5rem 0}h2{font-size:1.05rem;margin-bottom:.3rem}.facts td{text-align:left}</style>\n</head><body>\n");
        html.Append("<h1>").Append(E(title)).Append("</h1>\n");
        var drifted = report.DriftedFeatures;
        var headline = drifted.Count == 0
            ? "No feature drifted."
            : string.Create(c, $"{drifted.Count} of {report.Features.Count(f => f.Verdict != DriftVerdict.InsufficientData)} judged features drifted: {string.Join(", ", drifted)}.");
        html.Append("<p><strong>").Append(E(headline))
            .Append(report.Prediction?.Verdict == DriftVerdict.Drifted ? " The prediction drifted." : "")
            .Append("</strong></p>\n");
        html.Append("<table class=\"facts\">\n");
        Fact(html, "Window", window);
        Fact(html, "From", report.Start.ToString("u", c));
        Fact(html, "To", report.End.ToString("u", c));
        Fact(html, "Rows", report.Rows.ToString("N0", c));
        Fact(html, "Columns judged", report.ColumnsJudged.ToString(c));
        var rules = string.Create(c,
            $"numeric {Method(policy.Numeric.Method)} ≥ {policy.Numeric.Threshold}, categorical {Method(policy.Categorical.Method)} ≥ {policy.Categorical.Threshold}; significance gate: p < {policy.Alpha} / columns judged (Bonferroni); at least {policy.MinimumCount} values per column");
        if (policy.Overrides is { Count: > 0 } overrides)
        {
            rules += "; overrides: " + string.Join(", ", overrides.Select(p => string.Create(c, $"{p.Key} {Method(p.Value.Method)} {p.Value.Threshold}")));
        }

        Fact(html, "Policy", rules);
        html.Append("</table>\n");

        html.Append("<h2>Statistics</h2>\n<table>\n<tr><th>column</th><th>kind</th><th>method</th><th>statistic</th><th>threshold</th><th>verdict</th>")
            .Append("<th>PSI</th><th>Jensen-Shannon</th><th>KS D (p)</th><th>W1 / sd</th><th>chi-square p</th><th>missing (baseline → window)</th><th>mean (baseline → window)</th></tr>\n");
        foreach (var (f, isPrediction) in ordered)
        {
            html.Append("<tr><td>").Append(E(f.Name)).Append(isPrediction ? " <em>(prediction)</em>" : "").Append("</td>")
                .Append("<td>").Append(f.Kind == FeatureKind.Numeric ? "numeric" : "categorical").Append("</td>")
                .Append("<td>").Append(Method(f.Method)).Append("</td>")
                .Append("<td>").Append(N(f.Score)).Append("</td>")
                .Append("<td>").Append(IsTest(f.Method) ? "p < " + N(f.Threshold / Math.Max(1, report.ColumnsJudged)) : "≥ " + N(f.Threshold)).Append("</td>")
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
            html.Append("<section><h2>").Append(E(f.Name)).Append(isPrediction ? " (prediction)" : "").Append(" — <span class=\"").Append(Css(f.Verdict)).Append("\">")
                .Append(Verdict(f.Verdict)).Append("</span>, ").Append(Method(f.Method)).Append(' ').Append(N(f.Score)).Append("</h2>\n")
                .Append(HistogramSvg.Render(f.Histogram, $"{f.Name}: baseline vs window share per bin")).Append("\n</section>\n");
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    /// <summary>The short name of a method.</summary>
    public static string Method(DriftMethod method) => method switch
    {
        DriftMethod.Psi => "PSI",
        DriftMethod.KolmogorovSmirnov => "KS",
        DriftMethod.Wasserstein => "Wasserstein",
        DriftMethod.ChiSquare => "chi-square",
        DriftMethod.Auto => "auto",
        _ => "Jensen-Shannon",
    };

    private static bool IsTest(DriftMethod method) => method is DriftMethod.KolmogorovSmirnov or DriftMethod.ChiSquare;

    private static string Verdict(DriftVerdict verdict) => verdict switch
    {
        DriftVerdict.Drifted => "drifted",
        DriftVerdict.Stable => "stable",
        _ => "insufficient data",
    };

    private static string Css(DriftVerdict verdict) => verdict switch
    {
        DriftVerdict.Drifted => "drifted",
        DriftVerdict.Stable => "stable",
        _ => "insufficient",
    };

    private static string N(double value) =>
        double.IsNaN(value) ? "–" : Math.Abs(value) is > 0 and < 1e-4 ? value.ToString("0.##E+0", CultureInfo.InvariantCulture) : value.ToString("0.####", CultureInfo.InvariantCulture);

    private static void Fact(StringBuilder html, string name, string value) =>
        html.Append("<tr><td>").Append(E(name)).Append("</td><td>").Append(E(value)).Append("</td></tr>\n");

    private static string E(string text) => Escala.Core.Naming.SafeHtml.Encode(text);
}

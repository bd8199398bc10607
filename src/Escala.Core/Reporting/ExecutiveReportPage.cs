using System.Globalization;
using System.Net;
using System.Text;
using Escala.Core.Adoption;

namespace Escala.Core.Reporting;

/// <summary>
/// The executive report as one standalone HTML page: numbers first, charts as inline SVG (no script, no remote
/// content), black on white with sections that do not break across printed pages.
/// </summary>
public static class ExecutiveReportPage
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The sections a page may hold.</summary>
    public static readonly IReadOnlyList<string> Sections = ["rollouts", "adoption", "costs", "satisfaction", "endpoints"];

    /// <summary>The page with <paramref name="sections"/> (all by default).</summary>
    public static string Render(ExecutiveReport report, IReadOnlyCollection<string>? sections = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        bool Show(string name) => sections is null || sections.Contains(name);
        var html = new StringBuilder(32 * 1024);
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>AI rollout report</title>\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
            .Append("<style>body{font-family:system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#111}")
            .Append("table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}td,th{border:1px solid #bbb;padding:.25rem .5rem;text-align:left}th{background:#f2f2f2}")
            .Append(".pass{color:#1a7f37}.fail{color:#b00020;font-weight:600}.kpis{display:flex;gap:1.5rem;flex-wrap:wrap}.kpi{border:1px solid #bbb;padding:.5rem 1rem}")
            .Append(".kpi b{display:block;font-size:1.5rem}section{break-inside:avoid;page-break-inside:avoid;margin-bottom:1.5rem}")
            .Append("@media print{body{margin:0;max-width:none}th{background:none}a{color:#000}}</style>\n</head><body>\n")
            .Append("<h1>AI rollout report</h1>\n<p>As of ").Append(report.At.ToString("yyyy-MM-dd HH:mm 'UTC'", C)).Append(".</p>\n");
        var a = report.Adoption;
        html.Append("<div class=\"kpis\">")
            .Append(Kpi("Breadth", $"{a.Breadth.ActiveDepartments} of {a.Breadth.Departments} departments"))
            .Append(Kpi("Diversity", $"{a.Diversity} use case(s) in use"))
            .Append(Kpi("Impact", ImpactText(a.Impact)))
            .Append(Kpi("Cost (month)", $"{report.Costs.ProjectedMonthlyTotal.ToString("N2", C)} {report.Costs.Currency}"))
            .Append(Kpi("Users trend", TrendText(a.Sustainability.Users)))
            .Append("</div>\n");

        if (Show("rollouts"))
        {
            html.Append("<section><h2>Rollout waves</h2>\n");
            if (report.Plans.Count == 0)
            {
                html.Append("<p>No rollout plan.</p>\n");
            }

            foreach (var (plan, gates) in report.Plans)
            {
                html.Append("<h3>").Append(E(plan.Name)).Append("</h3>\n<p>").Append(E($"{plan.Target} on {plan.Endpoint} for {plan.UseCase}: {plan.Served} of {plan.Waves.Length} waves serve."))
                    .Append("</p>\n<table><tr><th>wave</th><th>departments</th><th>state</th></tr>\n");
                for (var i = 0; i < plan.Waves.Length; i++)
                {
                    var state = i < plan.Served ? $"serving since {plan.ServedAt[i].ToString("yyyy-MM-dd HH:mm", C)}" : i == plan.Served ? (gates.Passed ? "ready to advance" : "blocked") : "waiting";
                    html.Append("<tr><td>").Append(i + 1).Append("</td><td>").Append(E(plan.Waves[i].ToString())).Append("</td><td>").Append(E(state)).Append("</td></tr>\n");
                }

                html.Append("</table>\n");
                if (gates.NextWave is not null)
                {
                    html.Append("<table><tr><th>gate of wave ").Append(gates.NextWave.Value).Append("</th><th>measured</th><th>threshold</th><th>verdict</th><th>detail</th></tr>\n");
                    foreach (var g in gates.Gates)
                    {
                        html.Append("<tr><td>").Append(E(g.Name)).Append("</td><td>").Append(g.Measured is { } m ? m.ToString("0.####", C) : "-").Append("</td><td>")
                            .Append(E(g.Threshold)).Append("</td><td class=\"").Append(g.Passed ? "pass\">pass" : "fail\">fail").Append("</td><td>").Append(E(g.Detail)).Append("</td></tr>\n");
                    }

                    html.Append("</table>\n");
                }
            }

            html.Append("</section>\n");
        }

        if (Show("adoption"))
        {
            html.Append("<section><h2>Adoption</h2>\n<p>")
                .Append(E($"{a.From:yyyy-MM-dd} to {a.To:yyyy-MM-dd}. Depth is active users over headcount; breadth counts departments with active users in the last 28 days."))
                .Append("</p>\n<table><tr><th>department</th><th>headcount</th><th>active 7d</th><th>depth 7d</th><th>active 28d</th><th>depth 28d</th><th>predictions</th><th>impact</th></tr>\n");
            foreach (var d in a.Departments)
            {
                html.Append("<tr><td>").Append(E(d.Department)).Append("</td><td>").Append(d.Headcount.ToString("N0", C)).Append("</td><td>").Append(d.ActiveUsers7d.ToString("N0", C))
                    .Append("</td><td>").Append(Pct(d.Depth7d)).Append("</td><td>").Append(d.ActiveUsers28d.ToString("N0", C)).Append("</td><td>").Append(Pct(d.Depth28d))
                    .Append("</td><td>").Append(d.Predictions.ToString("N0", C)).Append("</td><td>").Append(E(ImpactText(d.Impact))).Append("</td></tr>\n");
            }

            html.Append("</table>\n<h3>Depth per department (28 days)</h3>\n")
                .Append(Bars([.. a.Departments.Select(d => (d.Department, d.Depth28d ?? 0))], v => v.ToString("P0", C), 1))
                .Append("<h3>Use cases</h3>\n<table><tr><th>use case</th><th>predictions</th><th>departments</th><th>impact</th></tr>\n");
            foreach (var u in a.UseCases)
            {
                html.Append("<tr><td>").Append(E(u.UseCase)).Append("</td><td>").Append(u.Predictions.ToString("N0", C)).Append("</td><td>").Append(E(string.Join(", ", u.Departments)))
                    .Append("</td><td>").Append(E($"{u.Impact.ToString("N2", C)} {u.Unit}")).Append("</td></tr>\n");
            }

            var s = a.Sustainability;
            html.Append("</table>\n<h3>Weekly active users</h3>\n")
                .Append(Bars([.. s.Weeks.Select(w => (w.Start.ToString("MM-dd", C), (double)w.ActiveUsers))], v => v.ToString("N0", C), null))
                .Append("<p>").Append(E($"Users: {TrendText(s.Users)}. Volume: {TrendText(s.Volume)}. This week so far: {s.CurrentWeek.ActiveUsers} users, {s.CurrentWeek.Predictions} predictions.")).Append("</p>\n</section>\n");
        }

        if (Show("costs"))
        {
            var costs = report.Costs;
            html.Append("<section><h2>Cost</h2>\n<p>").Append(E($"This month ({costs.DaysElapsed} day(s)) projected to 30 days: {costs.ProjectedMonthlyTotal.ToString("N2", C)} {costs.Currency}.")).Append("</p>\n")
                .Append("<table><tr><th>department</th><th>predictions</th><th>charge</th><th>budget</th></tr>\n");
            foreach (var d in costs.Departments)
            {
                html.Append("<tr><td>").Append(E(d.Department)).Append("</td><td>").Append(d.PredictionsToDate.ToString("N0", C)).Append("</td><td>").Append(d.ProjectedMonthlyCharge.ToString("N2", C))
                    .Append("</td><td").Append(d.OverBudget ? " class=\"fail\">" : ">").Append(d.MonthlyBudget is { } b ? b.ToString("N2", C) + (d.OverBudget ? " (over)" : "") : "-").Append("</td></tr>\n");
            }

            html.Append("</table>\n").Append(Bars([.. costs.Departments.Select(d => (d.Department, (double)d.ProjectedMonthlyCharge))], v => v.ToString("N0", C), null));
            foreach (var p in costs.Projections)
            {
                var x = p.Projection;
                html.Append("<p>").Append(E($"{p.Plan}: from {x.PilotMonthlyPredictions:N0} to {x.ProjectedMonthlyPredictions:N0} predictions a month at full scale, nodes {x.PilotNodes} -> {x.ProjectedNodes}, " +
                    $"cost {x.PilotMonthlyCost.ToString("N2", C)} -> {x.ProjectedMonthlyCost.ToString("N2", C)} {costs.Currency} a month" +
                    (x.GrowthFactor is { } g ? $" (x{g.ToString("0.00", C)}; pilots typically understate production cost 3-5x)." : "."))).Append("</p>\n");
            }

            html.Append("</section>\n");
        }

        if (Show("satisfaction"))
        {
            html.Append("<section><h2>Satisfaction</h2>\n<table><tr><th>endpoint</th><th>ratings</th><th>mean (1-5)</th></tr>\n");
            foreach (var v in report.Satisfaction)
            {
                html.Append("<tr><td>").Append(E(v.Endpoint)).Append("</td><td>").Append(v.Ratings.ToString("N0", C)).Append("</td><td>").Append(v.Mean is { } m ? m.ToString("0.00", C) : "-").Append("</td></tr>\n");
            }

            html.Append("</table>\n</section>\n");
        }

        if (Show("endpoints"))
        {
            html.Append("<section><h2>Incidents and uptime</h2>\n<table><tr><th>endpoint</th><th>availability</th><th>uptime</th><th>requests</th><th>incidents</th></tr>\n");
            foreach (var e in report.Endpoints)
            {
                html.Append("<tr><td>").Append(E(e.Endpoint)).Append("</td><td>").Append((e.Availability * 100).ToString("0.000", C)).Append("%</td><td>")
                    .Append((e.Uptime * 100).ToString("0.00", C)).Append("%</td><td>").Append(e.Requests.ToString("N0", C)).Append("</td><td>")
                    .Append(e.Incidents.Count.ToString(C)).Append("</td></tr>\n");
            }

            html.Append("</table>\n</section>\n");
        }

        return html.Append("</body></html>\n").ToString();
    }

    // Horizontal bars, one row each, scaled to the largest value (or to max when given).
    private static string Bars(IReadOnlyList<(string Label, double Value)> rows, Func<double, string> format, double? max)
    {
        if (rows.Count == 0)
        {
            return "<p>No data yet.</p>\n";
        }

        const int row = 22, labelWidth = 150, barWidth = 420;
        var top = max ?? Math.Max(rows.Max(r => r.Value), 1e-9);
        var svg = new StringBuilder();
        svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(labelWidth + barWidth + 90).Append("\" height=\"").Append(rows.Count * row + 4)
            .Append("\" role=\"img\" font-family=\"system-ui,sans-serif\" font-size=\"12\">");
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, value) = rows[i];
            var width = Math.Max(0, Math.Min(1, value / top)) * barWidth;
            var y = i * row + 2;
            svg.Append("<text x=\"0\" y=\"").Append(y + 15).Append("\">").Append(E(label)).Append("</text>")
                .Append("<rect x=\"").Append(labelWidth).Append("\" y=\"").Append(y + 3).Append("\" width=\"").Append(width.ToString("0.#", C)).Append("\" height=\"16\" fill=\"#3b6fb6\"/>")
                .Append("<text x=\"").Append((labelWidth + width + 6).ToString("0.#", C)).Append("\" y=\"").Append(y + 15).Append("\">").Append(E(format(value))).Append("</text>");
        }

        return svg.Append("</svg>\n").ToString();
    }

    private static string Kpi(string name, string value) => $"<div class=\"kpi\">{E(name)}<b>{E(value)}</b></div>";

    private static string Pct(double? value) => value is { } v ? v.ToString("P0", C) : "-";

    private static string ImpactText(IReadOnlyList<ImpactTotal> impact) =>
        impact.Count == 0 ? "none yet" : string.Join(" + ", impact.Select(i => $"{i.Value.ToString("N2", C)} {i.Unit}"));

    private static string TrendText(TrendTest t) =>
        t.Trend == Trend.Insufficient ? "too few weeks" : $"{t.Trend.ToString().ToLowerInvariant()} (p={t.PValue.ToString("0.###", C)})";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

using System.Globalization;
using System.Text;

namespace Escala.Core.Fairness;

/// <summary>Writes a fairness evaluation into a model card's <c>## Fairness</c> section (replacing what was there, or appended).</summary>
public static class FairnessCardSection
{
    private const string Heading = "## Fairness";

    /// <summary>The card with its fairness section replaced by <paramref name="evaluation"/>.</summary>
    public static string Apply(string markdown, FairnessEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return Replace(markdown, Heading, Render(evaluation));
    }

    /// <summary>The card with the section under <paramref name="heading"/> (a <c>## </c> line) replaced by <paramref name="section"/>, or it appended.</summary>
    public static string Replace(string markdown, string heading, string section)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        ArgumentNullException.ThrowIfNull(heading);
        var start = markdown.StartsWith(heading + "\n", StringComparison.Ordinal) ? 0 : markdown.IndexOf("\n" + heading + "\n", StringComparison.Ordinal) is var i and >= 0 ? i + 1 : -1;
        if (start < 0)
        {
            return markdown.TrimEnd() + "\n\n" + section;
        }

        var next = markdown.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return markdown[..start] + section + (next < 0 ? "" : markdown[(next + 1)..]);
    }

    /// <summary>The section's markdown: per attribute, the groups' rates and the disparities with their intervals.</summary>
    public static string Render(FairnessEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture,
            $"{Heading}\n\nMeasured on {evaluation.Rows} holdout rows, label `{evaluation.Label}` (positive: `{evaluation.Positive}`), {evaluation.CreatedAt:yyyy-MM-dd HH:mm} UTC by {evaluation.CreatedBy}. Definitions as Fairlearn's; intervals are {Percent(evaluation.Reports.FirstOrDefault()?.Confidence ?? 0.95)} bootstrap intervals.\n\n");
        foreach (var report in evaluation.Reports)
        {
            md.Append(CultureInfo.InvariantCulture, $"### {report.Attribute}\n\n| group | rows | selection rate | TPR | FPR | accuracy |\n|---|---|---|---|---|---|\n");
            foreach (var g in report.Groups)
            {
                md.Append(CultureInfo.InvariantCulture,
                    $"| {Cell(g.Group)}{(g.TooSmall ? " (too small to compare)" : "")} | {g.Count} | {Rate(g.SelectionRate)} | {Rate(g.TruePositiveRate)} | {Rate(g.FalsePositiveRate)} | {Rate(g.Accuracy)} |\n");
            }

            md.Append("\n| disparity | value | interval |\n|---|---|---|\n");
            Row(md, "demographic parity difference", report.DemographicParityDifference);
            Row(md, "demographic parity ratio", report.DemographicParityRatio);
            Row(md, "equal opportunity difference", report.EqualOpportunityDifference);
            Row(md, "equalized odds difference", report.EqualizedOddsDifference);
            Row(md, "disparate impact ratio", report.DisparateImpactRatio);
            md.Append('\n');
            md.Append(report.FourFifthsViolated switch
            {
                true => "**Four-fifths rule: violated** (disparate impact ratio below 0.8).\n\n",
                false => "Four-fifths rule: met.\n\n",
                _ => "Four-fifths rule: not assessed.\n\n",
            });
            foreach (var note in report.Notes)
            {
                md.Append("- ").Append(note).Append('\n');
            }

            if (report.Notes.Count > 0)
            {
                md.Append('\n');
            }
        }

        return md.ToString();
    }

    private static void Row(StringBuilder md, string name, Disparity d) =>
        md.Append(CultureInfo.InvariantCulture, $"| {name} | {Rate(d.Value)} | {(d.Lower is { } l && d.Upper is { } u ? $"[{l:0.000}, {u:0.000}]" : "n/a")} |\n");

    private static string Rate(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";

    private static string Percent(double confidence) => (confidence * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}

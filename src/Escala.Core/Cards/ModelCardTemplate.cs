using System.Globalization;
using System.Text;
using Escala.Core.Registry;

namespace Escala.Core.Cards;

/// <summary>
/// The card a version shows until someone writes one: the standard sections (intended use, data,
/// metrics, fairness, limitations) with what the registry knows filled in and the rest marked as
/// not yet written, so a missing card is visible rather than silently empty.
/// </summary>
public static class ModelCardTemplate
{
    /// <summary>The markdown of the generated card for <paramref name="version"/>.</summary>
    public static string For(ModelVersion version)
    {
        var md = new StringBuilder();
        md.Append("# ").Append(version.Model).Append(" v").Append(version.Version.ToString(CultureInfo.InvariantCulture)).Append("\n\n");
        md.Append("_No model card was written for this version; this one is generated from its registry metadata._\n\n");
        md.Append("## Intended use\n\n").Append(version.Description ?? "Not written yet.").Append("\n\n");
        md.Append("## Data\n\n");
        md.Append("- Training data fingerprint: ").Append(Code(version.Lineage.DataFingerprint)).Append('\n');
        md.Append("- Pipeline run: ").Append(Code(version.Lineage.PipelineRun)).Append('\n');
        md.Append("- Code revision: ").Append(Code(version.Lineage.CodeRevision)).Append('\n');
        md.Append("- Parent version: ").Append(Code(version.Lineage.Parent?.ToString())).Append("\n\n");
        md.Append("## Metrics\n\n");
        if (version.Metrics.IsEmpty)
        {
            md.Append("None recorded.\n\n");
        }
        else
        {
            md.Append("| metric | value |\n|---|---|\n");
            foreach (var (name, value) in version.Metrics)
            {
                md.Append("| ").Append(name).Append(" | ").Append(value.ToString("G6", CultureInfo.InvariantCulture)).Append(" |\n");
            }

            md.Append('\n');
        }

        md.Append("## Fairness\n\nNot assessed yet.\n\n");
        md.Append("## Limitations\n\nNot written yet.\n");
        return md.ToString();
    }

    private static string Code(string? value) => value is null ? "not recorded" : $"`{value}`";
}

using System.Globalization;
using System.Text;
using Escala.Core.Monitoring.Drift;

namespace Escala.Server.Pages.Charts;

/// <summary>
/// An inline SVG bar chart of a column's baseline vs window shares per bin (<see cref="DriftHistogram"/>), written
/// by hand: no script, no external resource, every label HTML-escaped, each bar titled with its exact shares.
/// </summary>
public static class HistogramSvg
{
    /// <summary>The colour of baseline bars.</summary>
    public const string BaselineColour = ChartPalette.Baseline;

    /// <summary>The colour of window bars.</summary>
    public const string WindowColour = ChartPalette.Window;

    /// <summary>The SVG element for <paramref name="histogram"/> titled <paramref name="title"/>.</summary>
    public static string Render(DriftHistogram histogram, string title, int width = 640, int height = 220)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var c = CultureInfo.InvariantCulture;
        var bins = histogram.Labels.Length;
        const int left = 44, right = 8, top = 22, bottom = 64;
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        var max = 0.0;
        for (var i = 0; i < bins; i++)
        {
            max = Math.Max(max, Math.Max(Share(histogram.Baseline, i), Share(histogram.Window, i)));
        }

        max = max <= 0 ? 1 : Math.Ceiling(max * 10) / 10;
        var svg = new StringBuilder(2048 + (bins * 400));
        svg.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{Encode(title)}\">");
        svg.Append("<title>").Append(Encode(title)).Append("</title>");
        svg.Append(c, $"<rect x=\"{left}\" y=\"{top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"#ffffff\" stroke=\"#d0d7de\"/>");
        for (var t = 0; t <= 4; t++)
        {
            var value = max * t / 4;
            var y = top + plotHeight - (plotHeight * t / 4.0);
            svg.Append(c, $"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#eaeef2\"/>");
            svg.Append(c, $"<text x=\"{left - 4}\" y=\"{y + 3:0.#}\" font-size=\"10\" text-anchor=\"end\" fill=\"#57606a\">{value * 100:0.#}%</text>");
        }

        var group = bins == 0 ? plotWidth : plotWidth / (double)bins;
        var bar = Math.Max(1, (group - 4) / 2);
        for (var i = 0; i < bins; i++)
        {
            var x = left + (group * i) + 2;
            Bar(svg, x, bar, Share(histogram.Baseline, i), max, top, plotHeight, BaselineColour, $"{histogram.Labels[i]}: baseline {(Share(histogram.Baseline, i)) * 100:0.00}%");
            Bar(svg, x + bar, bar, Share(histogram.Window, i), max, top, plotHeight, WindowColour, $"{histogram.Labels[i]}: window {(Share(histogram.Window, i)) * 100:0.00}%");
            var label = histogram.Labels[i].Length > 16 ? histogram.Labels[i][..15] + "…" : histogram.Labels[i];
            var lx = x + bar;
            var ly = top + plotHeight + 10;
            svg.Append(c, $"<text x=\"{lx:0.#}\" y=\"{ly}\" font-size=\"9\" text-anchor=\"end\" fill=\"#57606a\" transform=\"rotate(-35 {lx:0.#} {ly})\">{Encode(label)}</text>");
        }

        svg.Append(c, $"<rect x=\"{left}\" y=\"4\" width=\"10\" height=\"10\" fill=\"{BaselineColour}\"/><text x=\"{left + 14}\" y=\"13\" font-size=\"11\">baseline</text>");
        svg.Append(c, $"<rect x=\"{left + 80}\" y=\"4\" width=\"10\" height=\"10\" fill=\"{WindowColour}\"/><text x=\"{left + 94}\" y=\"13\" font-size=\"11\">window</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Bar(StringBuilder svg, double x, double width, double share, double max, int top, int plotHeight, string colour, string title)
    {
        var h = plotHeight * share / max;
        svg.Append(CultureInfo.InvariantCulture,
            $"<rect x=\"{x:0.##}\" y=\"{top + plotHeight - h:0.##}\" width=\"{width:0.##}\" height=\"{h:0.##}\" fill=\"{colour}\"><title>{Encode(title)}</title></rect>");
    }

    private static double Share(double[] shares, int i) => i < shares.Length && double.IsFinite(shares[i]) ? shares[i] : 0;

    private static string Encode(string text) => Html.Encode(text);
}

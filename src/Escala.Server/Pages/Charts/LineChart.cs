using System.Globalization;
using System.Text;

namespace Escala.Server.Pages.Charts;

/// <summary>A named series of points for <see cref="LineChart"/>.</summary>
/// <param name="Name">The legend label.</param>
/// <param name="Points">(x, y) in x order; x is any number (seconds, a window's end as Unix seconds).</param>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>
/// Lines over a shared x axis as inline SVG (drift scores over windows, accuracy over time, live traffic per
/// version): a frame, four grid lines with y labels, the x range's ends labelled, one line per series with its own
/// colour and dash, a point marker titled with its exact value, and a legend. An optional horizontal line marks a
/// threshold. Points with a non-finite y are left out.
/// </summary>
public static class LineChart
{
    /// <summary>The SVG for <paramref name="series"/>; <paramref name="xLabel"/> turns an x into its axis text.</summary>
    public static string Render(
        string title, IReadOnlyList<ChartSeries> series, Func<double, string> xLabel, Func<double, string> yLabel,
        double? threshold = null, double? yMin = null, double? yMax = null, int width = 640, int height = 220, double? xMin = null, double? xMax = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var c = CultureInfo.InvariantCulture;
        const int left = 52, right = 10, top = 24, bottom = 26;
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        double x0 = double.MaxValue, x1 = double.MinValue, y0 = yMin ?? double.MaxValue, y1 = yMax ?? double.MinValue;
        foreach (var s in series)
        {
            foreach (var (x, y) in s.Points)
            {
                if (!double.IsFinite(y))
                {
                    continue;
                }

                x0 = Math.Min(x0, x);
                x1 = Math.Max(x1, x);
                y0 = yMin ?? Math.Min(y0, y);
                y1 = yMax ?? Math.Max(y1, y);
            }
        }

        if (threshold is { } t && yMax is null)
        {
            y1 = Math.Max(y1, t);
        }

        var empty = x0 > x1;
        if (empty)
        {
            (x0, x1) = (0, 1);
        }

        // A fixed x range (e.g. the last minute) keeps a live chart's axis still while points arrive.
        (x0, x1) = (xMin ?? x0, xMax ?? x1);

        if (x1 - x0 < 1e-9)
        {
            x1 = x0 + 1;
        }

        if (!(y0 <= y1))
        {
            (y0, y1) = (0, 1);
        }

        if (yMin is null)
        {
            y0 = Math.Min(0, y0);
        }

        if (y1 - y0 < 1e-12)
        {
            y1 = y0 + 1;
        }

        double X(double x) => left + ((x - x0) / (x1 - x0) * plotWidth);
        double Y(double y) => top + plotHeight - ((y - y0) / (y1 - y0) * plotHeight);

        var svg = new StringBuilder(2048 + (series.Sum(s => s.Points.Count) * 120));
        svg.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{Html.Encode(title)}\">");
        svg.Append("<title>").Append(Html.Encode(title)).Append("</title>");
        svg.Append(c, $"<rect x=\"{left}\" y=\"{top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"#ffffff\" stroke=\"#d0d7de\"/>");
        for (var i = 0; i <= 4; i++)
        {
            var value = y0 + ((y1 - y0) * i / 4);
            var y = Y(value);
            svg.Append(c, $"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"{ChartPalette.Grid}\"/>");
            svg.Append(c, $"<text x=\"{left - 4}\" y=\"{y + 3:0.#}\" font-size=\"10\" text-anchor=\"end\" fill=\"{ChartPalette.Muted}\">{Html.Encode(yLabel(value))}</text>");
        }

        if (!empty || (xMin is not null && xMax is not null))
        {
            svg.Append(c, $"<text x=\"{left}\" y=\"{height - 8}\" font-size=\"10\" fill=\"{ChartPalette.Muted}\">{Html.Encode(xLabel(x0))}</text>");
            svg.Append(c, $"<text x=\"{left + plotWidth}\" y=\"{height - 8}\" font-size=\"10\" text-anchor=\"end\" fill=\"{ChartPalette.Muted}\">{Html.Encode(xLabel(x1))}</text>");
        }

        if (threshold is { } limit && limit >= y0 && limit <= y1)
        {
            var y = Y(limit);
            svg.Append(c, $"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"{ChartPalette.Bad}\" stroke-dasharray=\"3 3\"><title>threshold {Html.Encode(yLabel(limit))}</title></line>");
        }

        for (var s = 0; s < series.Count; s++)
        {
            var colour = ChartPalette.Colour(s);
            var dash = ChartPalette.Dash(s);
            var path = new StringBuilder();
            foreach (var (x, y) in series[s].Points)
            {
                if (double.IsFinite(y))
                {
                    path.Append(path.Length == 0 ? "M" : " L").Append(c, $"{X(x):0.#} {Y(y):0.#}");
                }
            }

            if (path.Length > 0)
            {
                svg.Append(c, $"<path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"").Append(dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : "").Append("/>");
            }

            // Markers only where they stay legible; each is titled with its exact value.
            if (series[s].Points.Count <= 120)
            {
                foreach (var (x, y) in series[s].Points)
                {
                    if (double.IsFinite(y))
                    {
                        svg.Append(c, $"<circle cx=\"{X(x):0.#}\" cy=\"{Y(y):0.#}\" r=\"2.5\" fill=\"{colour}\"><title>{Html.Encode($"{series[s].Name}: {yLabel(y)} at {xLabel(x)}")}</title></circle>");
                    }
                }
            }

            var lx = left + (s * 130);
            svg.Append(c, $"<line x1=\"{lx}\" x2=\"{lx + 22}\" y1=\"10\" y2=\"10\" stroke=\"{colour}\" stroke-width=\"2\"").Append(dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : "").Append("/>");
            var name = series[s].Name.Length > 16 ? series[s].Name[..15] + "…" : series[s].Name;
            svg.Append(c, $"<text x=\"{lx + 26}\" y=\"14\" font-size=\"11\">{Html.Encode(name)}</text>");
        }

        if (empty)
        {
            svg.Append(c, $"<text x=\"{left + (plotWidth / 2)}\" y=\"{top + (plotHeight / 2)}\" font-size=\"12\" text-anchor=\"middle\" fill=\"{ChartPalette.Muted}\">no data yet</text>");
        }

        return svg.Append("</svg>").ToString();
    }
}

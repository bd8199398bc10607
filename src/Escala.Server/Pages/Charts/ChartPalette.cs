namespace Escala.Server.Pages.Charts;

/// <summary>
/// The colours and dash patterns every chart uses. Series differ by dash pattern and are labelled in a legend as
/// well as by colour, so a chart reads without colour (and in greyscale print).
/// </summary>
public static class ChartPalette
{
    /// <summary>Reference data (a baseline).</summary>
    public const string Baseline = "#6e7781";

    /// <summary>Live or compared data (a window).</summary>
    public const string Window = "#d4660f";

    /// <summary>Good (an objective met).</summary>
    public const string Good = "#2da44e";

    /// <summary>Bad (an objective missed).</summary>
    public const string Bad = "#cf222e";

    /// <summary>Nothing to judge.</summary>
    public const string Empty = "#d0d7de";

    /// <summary>Axis and label text.</summary>
    public const string Muted = "#57606a";

    /// <summary>Grid lines.</summary>
    public const string Grid = "#eaeef2";

    private static readonly string[] Series = ["#0b5cad", "#d4660f", "#1a7f37", "#8250df", "#bf3989", "#57606a"];
    private static readonly string[] Dashes = ["", "6 3", "2 3", "8 3 2 3", "1 2", "4 4"];

    /// <summary>The colour of series <paramref name="index"/>.</summary>
    public static string Colour(int index) => Series[index % Series.Length];

    /// <summary>The SVG dash array of series <paramref name="index"/> (empty: solid).</summary>
    public static string Dash(int index) => Dashes[index % Dashes.Length];
}

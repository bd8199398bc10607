using System.Globalization;
using System.Text;

namespace Escala.Server.Monitoring.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format, version 0.0.4: one <c># HELP</c> and <c># TYPE</c> per family
/// followed by all its samples, label values escaped (<c>\\</c>, <c>\"</c>, <c>\n</c>), floats in invariant
/// round-trip form with <c>NaN</c>/<c>+Inf</c>/<c>-Inf</c>. Families must be written whole, one after another.
/// </summary>
public sealed class PrometheusText
{
    /// <summary>The content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new(16 * 1024);
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);

    /// <summary>Starts a family; false when one with this name was written already (its samples are then skipped by the caller).</summary>
    public bool Family(string name, string type, string help)
    {
        if (!_families.Add(name))
        {
            return false;
        }

        _text.Append("# HELP ").Append(name).Append(' ');
        foreach (var c in help)
        {
            _text.Append(c switch { '\\' => "\\\\", '\n' => "\\n", _ => c.ToString() });
        }

        _text.Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        return true;
    }

    /// <summary>One sample with its labels (name-value pairs; a null value is written as empty).</summary>
    public void Sample(string name, double value, params ReadOnlySpan<(string Name, string? Value)> labels)
    {
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    _text.Append(',');
                }

                _text.Append(labels[i].Name).Append("=\"");
                foreach (var c in labels[i].Value ?? "")
                {
                    switch (c)
                    {
                        case '\\':
                            _text.Append("\\\\");
                            break;
                        case '"':
                            _text.Append("\\\"");
                            break;
                        case '\n':
                            _text.Append("\\n");
                            break;
                        default:
                            _text.Append(c);
                            break;
                    }
                }

                _text.Append('"');
            }

            _text.Append('}');
        }

        _text.Append(' ').Append(Format(value)).Append('\n');
    }

    /// <summary>The text written so far.</summary>
    public override string ToString() => _text.ToString();

    /// <summary>A sample value as the format writes it.</summary>
    public static string Format(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value == Math.Floor(value) && Math.Abs(value) < 1e15 ? ((long)value).ToString(CultureInfo.InvariantCulture)
        : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A metric or label name made valid (<c>[a-zA-Z_][a-zA-Z0-9_]*</c>): other characters become '_'.</summary>
    public static string Name(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var name = new StringBuilder(raw.Length + 1);
        foreach (var c in raw)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            name.Insert(0, '_');
        }

        return name.ToString();
    }
}

using System.Text;
using Escala.Core.Monitoring.Baselines;

namespace Escala.Core.Explanations;

/// <summary>
/// The background an interventional explanation averages over: a uniform sample (reservoir sampling, seeded, so the
/// same reference table always gives the same sample) of the rows of a version's baseline reference table, kept as
/// CSV text with the table's header. shap advises 100-1000 rows; cost grows linearly with it.
/// </summary>
public static class BackgroundSample
{
    /// <summary>Rows kept by default.</summary>
    public const int DefaultRows = 200;

    /// <summary>Samples at most <paramref name="maxRows"/> data rows of <paramref name="csv"/>; null when it has no header or no rows.</summary>
    public static (string Csv, int Rows)? Take(TextReader csv, int maxRows = DefaultRows, int seed = 20_181_203)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        var reader = new ReferenceCsvReader(csv);
        var fields = new List<string>();
        if (!reader.TryRead(fields, out _))
        {
            return null;
        }

        var header = fields.ToArray();
        var kept = new List<string[]>(maxRows);
        var random = new Random(seed);
        long seen = 0;
        while (reader.TryRead(fields, out _))
        {
            seen++;
            if (kept.Count < maxRows)
            {
                kept.Add([.. fields]);
                continue;
            }

            // Algorithm R: row n replaces a kept one with probability maxRows / n.
            var slot = random.NextInt64(seen);
            if (slot < maxRows)
            {
                kept[(int)slot] = [.. fields];
            }
        }

        if (kept.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        WriteRecord(text, header);
        foreach (var row in kept)
        {
            WriteRecord(text, row);
        }

        return (text.ToString(), kept.Count);
    }

    /// <summary>Reads a sample back: the header and the rows.</summary>
    public static (string[] Header, List<string[]> Rows) Read(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var reader = new ReferenceCsvReader(new StringReader(csv));
        var fields = new List<string>();
        if (!reader.TryRead(fields, out _))
        {
            return ([], []);
        }

        var header = fields.ToArray();
        var rows = new List<string[]>();
        while (reader.TryRead(fields, out _))
        {
            rows.Add([.. fields]);
        }

        return (header, rows);
    }

    private static void WriteRecord(StringBuilder text, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            var field = fields[i];
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                text.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                text.Append(field);
            }
        }

        text.Append('\n');
    }
}

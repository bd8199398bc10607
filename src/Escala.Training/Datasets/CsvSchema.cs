using System.Globalization;

namespace Escala.Training.Datasets;

/// <summary>How a CSV column is read: a number (float) or a category (text).</summary>
public enum ColumnKind
{
    /// <summary>Every non-empty value parses as a number.</summary>
    Numeric,

    /// <summary>Anything else: encoded inside the model (one-hot), so the model takes the raw text.</summary>
    Categorical,
}

/// <summary>One column of a CSV file: its name, position, kind and (for categories) its distinct values, capped.</summary>
public sealed record CsvColumn(string Name, int Index, ColumnKind Kind, IReadOnlyList<string> Values);

/// <summary>
/// The columns of a CSV file, found by reading it once: the header names them, and a column is numeric when every
/// non-empty value parses as an invariant-culture number. Values are plain comma-separated fields (RFC 4180 quoting
/// is refused, since the loaders that consume the file do not read it alike), so every refusal names the line.
/// </summary>
public sealed record CsvSchema(IReadOnlyList<CsvColumn> Columns, long Rows)
{
    /// <summary>At most this many distinct values are kept per categorical column.</summary>
    public const int MaxDistinct = 1000;

    /// <summary>The column named <paramref name="name"/>, or null.</summary>
    public CsvColumn? Find(string name) => Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    /// <summary>Reads the header and every row of <paramref name="path"/>; throws <see cref="InvalidDataException"/> naming the line for a malformed file.</summary>
    public static CsvSchema Read(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader);
    }

    /// <summary>Reads the header and every row; throws <see cref="InvalidDataException"/> naming the line for a malformed file.</summary>
    public static CsvSchema Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new InvalidDataException("line 1: the file is empty; the first line must name the columns");
        }

        var names = header.Split(',');
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = names[i].Trim();
            if (names[i].Length == 0 || names[i].Contains('"', StringComparison.Ordinal))
            {
                throw new InvalidDataException($"line 1: column {i + 1} has an empty or quoted name");
            }

            if (!seen.Add(names[i]))
            {
                throw new InvalidDataException($"line 1: the column '{names[i]}' appears twice");
            }
        }

        var numeric = Enumerable.Repeat(true, names.Length).ToArray();
        var anyValue = new bool[names.Length];
        var distinct = names.Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToArray();
        long rows = 0;
        var lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Contains('"', StringComparison.Ordinal))
            {
                throw new InvalidDataException($"line {lineNumber}: quoted fields are not supported; remove the quotes (values must not contain commas)");
            }

            var fields = line.Split(',');
            if (fields.Length != names.Length)
            {
                throw new InvalidDataException($"line {lineNumber}: {fields.Length} fields, but the header names {names.Length} columns");
            }

            for (var i = 0; i < fields.Length; i++)
            {
                var value = fields[i];
                if (value.Length == 0)
                {
                    continue;
                }

                anyValue[i] = true;
                if (numeric[i] && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    numeric[i] = false;
                }

                if (distinct[i].Count < MaxDistinct)
                {
                    distinct[i].Add(value);
                }
            }

            rows++;
        }

        if (rows == 0)
        {
            throw new InvalidDataException("the file has a header but no rows");
        }

        var columns = names.Select((n, i) => new CsvColumn(
            n, i, numeric[i] && anyValue[i] ? ColumnKind.Numeric : ColumnKind.Categorical,
            distinct[i].Order(StringComparer.Ordinal).ToArray())).ToArray();
        return new CsvSchema(columns, rows);
    }
}

namespace Escala.Training.Datasets;

/// <summary>A small CSV file held in memory (header and rows of fields), for scoring holdouts and building datasets.</summary>
public sealed class CsvTable(IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
{
    /// <summary>Column names.</summary>
    public IReadOnlyList<string> Header { get; } = header;

    /// <summary>Rows of fields.</summary>
    public IReadOnlyList<string[]> Rows { get; } = rows;

    /// <summary>The index of <paramref name="column"/>, or -1.</summary>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Header.Count; i++)
        {
            if (Header[i] == column)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Reads a file already checked by <see cref="CsvSchema"/>.</summary>
    public static CsvTable Read(string path)
    {
        using var reader = new StreamReader(path);
        var header = (reader.ReadLine() ?? string.Empty).Split(',').Select(h => h.Trim()).ToArray();
        var rows = new List<string[]>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length > 0)
            {
                rows.Add(line.Split(','));
            }
        }

        return new CsvTable(header, rows);
    }
}

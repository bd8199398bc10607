using Escala.Core.Monitoring.Baselines;

namespace Escala.Core.Tests.Monitoring.RealData;

/// <summary>The ../shared datasets are plain CSV without quoting (see datasets/README.md), so a split on commas reads them.</summary>
internal sealed class CsvTable
{
    private CsvTable(string[] header, FeatureValue[][] rows)
    {
        Header = header;
        Rows = rows;
    }

    public string[] Header { get; }

    public FeatureValue[][] Rows { get; }

    public static CsvTable Read(string path, IReadOnlyList<string> columns, IReadOnlySet<string>? missingMarkers = null)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var indexes = columns.Select(c => Array.IndexOf(header, c)).ToArray();
        if (indexes.Any(i => i < 0))
        {
            throw new InvalidDataException($"{path} lacks one of the columns {string.Join(", ", columns)}.");
        }

        var rows = new FeatureValue[lines.Length - 1][];
        for (var r = 1; r < lines.Length; r++)
        {
            var fields = lines[r].Split(',');
            var row = new FeatureValue[indexes.Length];
            for (var c = 0; c < indexes.Length; c++)
            {
                row[c] = FeatureValue.Parse(fields[indexes[c]], missingMarkers);
            }

            rows[r - 1] = row;
        }

        return new CsvTable([.. columns], rows);
    }
}

using System.Globalization;
using System.Text;

namespace Escala.Gateway.LoadTest;

/// <summary>Writes a CSV of synthetic credit applications (the demo model's six features) of a given size, for batch-scoring measurements.</summary>
public static class CreditCsv
{
    /// <summary>The header, in the demo model's input order.</summary>
    public const string Header = "income_k,debt_to_income,credit_utilization,late_payments_12m,years_employed,age";

    /// <summary>Writes rows until the file reaches <paramref name="bytes"/>; returns the row count.</summary>
    public static long Write(string path, long bytes, int seed)
    {
        var random = new Random(seed);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20);
        writer.Write(Header);
        writer.Write('\n');
        long written = Header.Length + 1, rows = 0;
        var line = new StringBuilder(64);
        var c = CultureInfo.InvariantCulture;
        while (written < bytes)
        {
            line.Clear();
            line.Append(c, $"{20 + (random.NextDouble() * 120):0.00},{random.NextDouble() * 0.9:0.000},{random.NextDouble():0.000},{random.Next(0, 5)},{random.NextDouble() * 30:0.0},{21 + random.Next(0, 60)}\n");
            writer.Write(line);
            written += line.Length;
            rows++;
        }

        return rows;
    }
}

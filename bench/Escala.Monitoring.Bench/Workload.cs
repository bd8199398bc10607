using Escala.Core.Monitoring.Baselines;

namespace Escala.Monitoring.Bench;

/// <summary>A synthetic model input of 20 features (15 numeric, 5 categorical), made in code and seeded.</summary>
internal static class Workload
{
    public const int Features = 20;
    public const int Numeric = 15;

    private static readonly string[][] Categories =
    [
        ["a", "b", "c"],
        ["north", "south", "east", "west"],
        [.. Enumerable.Range(0, 12).Select(i => $"dept-{i}")],
        [.. Enumerable.Range(0, 50).Select(i => $"product-{i}")],
        ["yes", "no"],
    ];

    public static string[] Names { get; } = [.. Enumerable.Range(0, Features).Select(i => i < Numeric ? $"num{i}" : $"cat{i - Numeric}")];

    /// <summary>Rows whose numeric features are normal with mean <paramref name="shift"/> and whose categories skew with it.</summary>
    public static FeatureValue[][] Rows(int count, double shift, int seed)
    {
        var random = new Random(seed);
        var rows = new FeatureValue[count][];
        for (var r = 0; r < count; r++)
        {
            var row = new FeatureValue[Features];
            for (var f = 0; f < Numeric; f++)
            {
                var u1 = 1.0 - random.NextDouble();
                var u2 = random.NextDouble();
                row[f] = FeatureValue.Of((f * 10) + shift + (Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2)));
            }

            for (var c = 0; c < Features - Numeric; c++)
            {
                var options = Categories[c];
                var pick = Math.Min((int)(Math.Pow(random.NextDouble(), 1 + shift) * options.Length), options.Length - 1);
                row[Numeric + c] = FeatureValue.Of(options[pick]);
            }

            rows[r] = row;
        }

        return rows;
    }

    public static BaselineProfile Baseline(int rows = 100_000)
    {
        var builder = new BaselineBuilder(Names);
        foreach (var row in Rows(rows, 0, seed: 1))
        {
            builder.Add(row, row[0]);
        }

        return builder.Build();
    }
}

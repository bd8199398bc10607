using Escala.Core.Monitoring.Baselines;

namespace Escala.Core.Tests.Monitoring;

/// <summary>Seeded test data made in code.</summary>
internal static class Samples
{
    public static double[] Normal(int count, double mean, double std, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            // Box-Muller.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = mean + (std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return values;
    }

    public static double[] Binomial(int count, int trials, double p, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            var k = 0;
            for (var t = 0; t < trials; t++)
            {
                k += random.NextDouble() < p ? 1 : 0;
            }

            values[i] = k;
        }

        return values;
    }

    /// <summary>A one-feature baseline of <paramref name="values"/>.</summary>
    public static BaselineProfile Baseline(string name, double[] values, BaselineOptions? options = null)
    {
        var builder = new BaselineBuilder([name], options);
        foreach (var value in values)
        {
            builder.Add([FeatureValue.Of(value)]);
        }

        return builder.Build();
    }
}

using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Windows;

namespace Escala.Server.Tests.Pages;

/// <summary>A numeric and a categorical column (plus a prediction) drawn from a normal and a 60/30/10 mix; a shift moves both.</summary>
internal static class DriftSamples
{
    public static (BaselineProfile Baseline, double[] Amounts) Build(int rows, double shift, int seed)
    {
        var amounts = Normal(rows, 10 + shift, 2, seed);
        var random = new Random(seed + 1000);
        var builder = new BaselineBuilder(["amount", "colour"]);
        foreach (var amount in amounts)
        {
            builder.Add([FeatureValue.Of(amount), FeatureValue.Of(Colour(random, shift))], FeatureValue.Of(amount / 20));
        }

        return (builder.Build(), amounts);
    }

    public static WindowSnapshot Window(BaselineProfile baseline, int rows, double shift, int seed)
    {
        var accumulator = new WindowAccumulator(baseline);
        var random = new Random(seed + 1000);
        foreach (var amount in Normal(rows, 10 + shift, 2, seed))
        {
            accumulator.Add([FeatureValue.Of(amount), FeatureValue.Of(Colour(random, shift))], FeatureValue.Of(amount / 20));
        }

        return accumulator.Close(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1));
    }

    private static double[] Normal(int count, double mean, double std, int seed)
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

    private static string Colour(Random random, double shift)
    {
        var u = random.NextDouble();
        return shift == 0
            ? u < 0.6 ? "red" : u < 0.9 ? "green" : "blue"
            : u < 0.2 ? "red" : u < 0.4 ? "green" : "blue";
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Escala.Cli.Demo;

/// <summary>
/// Synthetic credit applications made in code (so the demo needs no data files): six applicant
/// features and whether the loan defaulted, drawn from a known logistic model with noise. Seeded,
/// so the demo is reproducible.
/// </summary>
public sealed class CreditApplications
{
    /// <summary>The feature names, in the column order of <see cref="Features"/> and of the model's input.</summary>
    public static readonly string[] FeatureNames =
        ["income_k", "debt_to_income", "credit_utilization", "late_payments_12m", "years_employed", "age"];

    private CreditApplications(double[][] features, bool[] defaulted)
    {
        Features = features;
        Defaulted = defaulted;
    }

    /// <summary>One row per application, columns as in <see cref="FeatureNames"/>.</summary>
    public double[][] Features { get; }

    /// <summary>Whether each application defaulted within a year.</summary>
    public bool[] Defaulted { get; }

    /// <summary>The number of applications.</summary>
    public int Count => Defaulted.Length;

    /// <summary>The share that defaulted.</summary>
    public double DefaultRate => Defaulted.Count(d => d) / (double)Count;

    /// <summary>Draws <paramref name="count"/> applications with <paramref name="seed"/>.</summary>
    public static CreditApplications Generate(int count, int seed) => Draw(count, seed, Population.Pilot);

    /// <summary>
    /// Draws applications from a downturn: lower incomes, more debt, fuller credit lines and more late payments, and
    /// defaults that follow utilisation more steeply than before (the relationship the model learned has moved too).
    /// Employment years and age are unchanged, so a drift report can tell the moved features from the others.
    /// </summary>
    public static CreditApplications GenerateDownturn(int count, int seed) => Draw(count, seed, Population.Downturn);

    /// <summary>The applications as a CSV of the model's features (header = <see cref="FeatureNames"/>), e.g. a baseline reference table.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder((Count + 1) * 64);
        csv.Append(string.Join(',', FeatureNames)).Append('\n');
        foreach (var row in Features)
        {
            csv.AppendJoin(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }

        return csv.ToString();
    }

    private static CreditApplications Draw(int count, int seed, Population population)
    {
        var downturn = population == Population.Downturn;
        var random = new Random(seed);
        var features = new double[count][];
        var defaulted = new bool[count];
        for (var i = 0; i < count; i++)
        {
            var income = Math.Exp(Normal(random, downturn ? 10.4 : 10.7, 0.45)) / 1000.0;
            var debtToIncome = Math.Clamp(Normal(random, downturn ? 0.42 : 0.32, 0.12), 0.0, 1.2);
            var utilization = Math.Pow(random.NextDouble(), downturn ? 0.5 : 0.8);
            var late = Poisson(random, downturn ? 1.1 : 0.6);
            var years = Math.Clamp(Math.Exp(Normal(random, 1.5, 0.8)), 0.0, 40.0);
            var age = Math.Clamp(Normal(random, 42, 12), 21, 80);
            features[i] = [income, debtToIncome, utilization, late, years, age];

            // The "true" risk the model has to learn (in a downturn, utilisation weighs far more).
            var logit = -3.0 - (0.025 * (income - 45)) + (3.2 * (debtToIncome - 0.32)) + ((downturn ? 5.5 : 2.1) * (utilization - 0.5))
                + (0.55 * late) - (0.06 * (years - 5)) - (0.01 * (age - 42));
            defaulted[i] = random.NextDouble() < 1.0 / (1.0 + Math.Exp(-logit));
        }

        return new CreditApplications(features, defaulted);
    }

    /// <summary>The training data's fingerprint: SHA-256 of its CSV rendering (what a pipeline would hash).</summary>
    public string Fingerprint()
    {
        var csv = new StringBuilder(Count * 64);
        csv.Append(string.Join(',', FeatureNames)).Append(",defaulted\n");
        for (var i = 0; i < Count; i++)
        {
            foreach (var value in Features[i])
            {
                csv.Append(value.ToString("R", CultureInfo.InvariantCulture)).Append(',');
            }

            csv.Append(Defaulted[i] ? '1' : '0').Append('\n');
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(csv.ToString())));
    }

    private static double Normal(Random random, double mean, double sd)
    {
        // Box-Muller.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return mean + (sd * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    private enum Population
    {
        Pilot,
        Downturn,
    }

    private static int Poisson(Random random, double lambda)
    {
        // Knuth: fine for small rates.
        var limit = Math.Exp(-lambda);
        var k = 0;
        var p = 1.0;
        do
        {
            k++;
            p *= random.NextDouble();
        }
        while (p > limit);
        return k - 1;
    }
}

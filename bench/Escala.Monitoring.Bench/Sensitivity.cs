using System.Diagnostics;
using System.Globalization;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Windows;

namespace Escala.Monitoring.Bench;

/// <summary>
/// How sensitive the default drift policy is, side by side with the previous default (PSI >= 0.2 numeric,
/// Jensen-Shannon >= 0.1 categorical, both with the significance gate) in one run: the detection rate of a mean shift
/// of d standard deviations in one of 20 N(0,1) features, for several window sizes, and the false-alarm rate (any of
/// the 20 features drifted with no shift; random halves and 1,000-row windows of the real Adult data).
/// </summary>
public static class Sensitivity
{
    private const int Features = 20;
    private const int ReferenceRows = 100_000;

    private static readonly DriftPolicy Previous = DriftPolicy.Default with
    {
        Numeric = new DriftRule(DriftMethod.Psi, 0.2),
        Categorical = new DriftRule(DriftMethod.JensenShannon, 0.1),
    };

    private static readonly string[] AdultFeatures =
    [
        "age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation",
        "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country",
    ];

    /// <summary>Prints the detection table and the false-alarm rates.</summary>
    public static void Run(int repeats, string? adultCsv)
    {
        var started = Stopwatch.GetTimestamp();
        var names = Enumerable.Range(0, Features).Select(i => $"x{i}").ToArray();
        var builder = new BaselineBuilder(names, new BaselineOptions { MaxRows = ReferenceRows });
        var random = new Random(1);
        var row = new FeatureValue[Features];
        for (var r = 0; r < ReferenceRows; r++)
        {
            Fill(row, random, 0);
            builder.Add(row);
        }

        var baseline = builder.Build();
        var policies = new (string Name, DriftDetector Detector)[]
        {
            ("default (auto)", new DriftDetector(baseline)),
            ("previous (PSI >= 0.2)", new DriftDetector(baseline, Previous)),
        };
        double[] shifts = [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.45, 0.5];
        int[] windows = [500, 5_000, 100_000];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Mean shift of x0 in standard deviations vs share of windows where x0 drifted ({repeats} windows each; reference {ReferenceRows:N0} rows, {Features} N(0,1) features). Shift 0: share of windows where any feature drifted (false alarm)."));
        Console.WriteLine();
        Console.WriteLine("| policy | window rows | " + string.Join(" | ", shifts.Select(s => s.ToString("0.00", CultureInfo.InvariantCulture) + "σ")) + " |");
        Console.WriteLine("|---|---:|" + string.Concat(shifts.Select(_ => "---:|")));
        var rates = new int[policies.Length, windows.Length, shifts.Length];
        for (var w = 0; w < windows.Length; w++)
        {
            for (var s = 0; s < shifts.Length; s++)
            {
                for (var rep = 0; rep < repeats; rep++)
                {
                    var window = new WindowAccumulator(baseline);
                    var draw = new Random(HashCode.Combine(w, s, rep, 77));
                    for (var r = 0; r < windows[w]; r++)
                    {
                        Fill(row, draw, shifts[s]);
                        window.Add(row);
                    }

                    var snapshot = window.Close(default, default);
                    for (var p = 0; p < policies.Length; p++)
                    {
                        var report = policies[p].Detector.Evaluate(snapshot);
                        var hit = shifts[s] == 0 ? report.AnyFeatureDrift : report.Features[0].Verdict == DriftVerdict.Drifted;
                        rates[p, w, s] += hit ? 1 : 0;
                    }
                }
            }
        }

        for (var p = 0; p < policies.Length; p++)
        {
            for (var w = 0; w < windows.Length; w++)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {policies[p].Name} | {windows[w]:N0} | ")
                    + string.Join(" | ", Enumerable.Range(0, shifts.Length).Select(s => ((double)rates[p, w, s] / repeats).ToString("P0", CultureInfo.InvariantCulture)))
                    + " |");
            }
        }

        Console.WriteLine();
        if (adultCsv is not null && File.Exists(adultCsv))
        {
            AdultFalseAlarms(adultCsv, policies.Select(p => p.Name).ToArray());
        }
        else
        {
            Console.WriteLine("Adult false alarms skipped: pass the path of ../shared/datasets/adult.csv as the third argument.");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({Stopwatch.GetElapsedTime(started).TotalSeconds:0} s)"));
    }

    private static void AdultFalseAlarms(string path, string[] policyNames)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var columns = AdultFeatures.Select(c => Array.IndexOf(header, c)).ToArray();
        var missing = new HashSet<string>(StringComparer.Ordinal) { "?" };
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var fields = l.Split(',');
            return columns.Select(c => FeatureValue.Parse(fields[c].Trim(), missing)).ToArray();
        }).ToArray();
        const int Splits = 100;
        const int Small = 1_000;
        var halves = new int[policyNames.Length];
        var smallAlarms = new int[policyNames.Length];
        var smallWindows = 0;
        var indexes = Enumerable.Range(0, rows.Length).ToArray();
        for (var split = 0; split < Splits; split++)
        {
            new Random(split).Shuffle(indexes);
            var half = indexes.Length / 2;
            var builder = new BaselineBuilder(AdultFeatures);
            for (var i = 0; i < half; i++)
            {
                builder.Add(rows[indexes[i]]);
            }

            var baseline = builder.Build();
            var detectors = new[] { new DriftDetector(baseline), new DriftDetector(baseline, Previous) };
            var whole = new WindowAccumulator(baseline);
            var small = new WindowAccumulator(baseline);
            for (var i = half; i < indexes.Length; i++)
            {
                whole.Add(rows[indexes[i]]);
                small.Add(rows[indexes[i]]);
                if ((i - half + 1) % Small == 0)
                {
                    smallWindows++;
                    var closed = small.Close(default, default);
                    for (var p = 0; p < detectors.Length; p++)
                    {
                        smallAlarms[p] += detectors[p].Evaluate(closed).AnyFeatureDrift ? 1 : 0;
                    }

                    small = new WindowAccumulator(baseline);
                }
            }

            var all = whole.Close(default, default);
            for (var p = 0; p < detectors.Length; p++)
            {
                halves[p] += detectors[p].Evaluate(all).AnyFeatureDrift ? 1 : 0;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Adult ({rows.Length:N0} rows, {AdultFeatures.Length} features), {Splits} random 50/50 splits: windows where any feature drifted."));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| policy | whole halves (~{rows.Length / 2:N0} rows) | {smallWindows} windows of {Small:N0} rows |"));
        Console.WriteLine("|---|---:|---:|");
        for (var p = 0; p < policyNames.Length; p++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {policyNames[p]} | {halves[p]} of {Splits} ({(double)halves[p] / Splits:P1}) | {smallAlarms[p]} ({(double)smallAlarms[p] / smallWindows:P2}) |"));
        }

        Console.WriteLine();
    }

    private static void Fill(FeatureValue[] row, Random random, double shift)
    {
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = FeatureValue.Of(Normal(random) + (i == 0 ? shift : 0));
        }
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

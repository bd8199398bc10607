using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.Json;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Bench;

/// <summary>
/// What the byte budget (issue 8) costs: this engine, which counts every allocation against a run's budget and
/// checks for cancellation, timed against a build of the engine from before the budget, loaded side by side in its
/// own <see cref="AssemblyLoadContext"/>, in one process, interleaved (the order alternates every repeat), on the
/// same models and the same rows. Both are called through the same compiled delegate, so the call path differs only
/// inside the engines. No ONNX Runtime needed.
/// </summary>
internal static class BudgetCost
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/Escala.Onnx.Bench -- --budget-cost BASELINE/Escala.Onnx.dll [--repeat N] [--only TEXT]
          BASELINE/Escala.Onnx.dll  the engine built from before the byte budget, e.g.
                       git archive e79f793 src/Escala.Onnx Directory.Build.props Directory.Packages.props | tar -x -C /tmp/escala-baseline
                       dotnet build -c Release /tmp/escala-baseline/src/Escala.Onnx  (then bin/Release/net10.0/Escala.Onnx.dll)
        """;

    public static int Run(string baselinePath, int repeat, string? only, IEnumerable<BenchmarkModel> models)
    {
        if (!File.Exists(baselinePath))
        {
            Console.Error.WriteLine($"No baseline engine at {baselinePath}.\n{Usage}");
            return 2;
        }

        var baseline = new Engine(new AssemblyLoadContext("baseline").LoadFromAssemblyPath(Path.GetFullPath(baselinePath)));
        var current = new Engine(typeof(InferenceSession).Assembly);
        var cases = new List<Case>();
        foreach (var model in models.Where(m => only is null || m.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
        {
            var session = InferenceSession.LoadFile(model.Path);
            foreach (var batch in model.FixedBatch ? new[] { 1 } : [1, 1000])
            {
                var rows = Rows(model, session, batch);
                cases.Add(new Case(model.Name, batch, baseline.Prepare(model.Path, rows), current.Prepare(model.Path, rows)));
            }
        }

        var results = cases.ToDictionary(c => (c.Model, c.Batch), _ => new List<(double Before, double After, double BeforeP50, double AfterP50)>());
        for (var r = 1; r <= repeat; r++)
        {
            foreach (var c in cases)
            {
                var iters = c.Batch == 1 ? 2000 : c.Model.Contains("trees500", StringComparison.Ordinal) ? 20 : 60;

                // Alternate which engine goes first, so neither always runs on a machine the other just warmed.
                var (first, second) = r % 2 == 1 ? (c.Before, c.After) : (c.After, c.Before);
                var a = Time(first, c.Batch, iters);
                var b = Time(second, c.Batch, iters);
                var (before, after) = r % 2 == 1 ? (a, b) : (b, a);
                results[(c.Model, c.Batch)].Add((before.RowsPerSecond, after.RowsPerSecond, before.P50Micros, after.P50Micros));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{r}/{repeat}] {c.Model,-44} batch {c.Batch,4}: before p50 {before.P50Micros,9:F1} µs {before.RowsPerSecond,11:F0} rows/s | with budget p50 {after.P50Micros,9:F1} µs {after.RowsPerSecond,11:F0} rows/s"));
            }
        }

        Console.WriteLine();
        Console.WriteLine(Render(results, repeat));
        return 0;
    }

    private static string Render(Dictionary<(string Model, int Batch), List<(double Before, double After, double BeforeP50, double AfterP50)>> results, int repeat)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| model | batch | before: p50 µs | with budget: p50 µs | p50 with ÷ before (median, lowest–highest of {repeat}) | before: rows/s | with budget: rows/s | rows/s with ÷ before (median, lowest–highest) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var ((model, batch), runs) in results)
        {
            var latency = runs.Select(x => x.AfterP50 / x.BeforeP50).Order().ToArray();
            var ratios = runs.Select(x => x.After / x.Before).Order().ToArray();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {model} | {batch} | {Median(runs.Select(x => x.BeforeP50)):F1} | {Median(runs.Select(x => x.AfterP50)):F1} | {Median(latency):F3} ({latency[0]:F2}–{latency[^1]:F2}) | {Median(runs.Select(x => x.Before)):F0} | {Median(runs.Select(x => x.After)):F0} | {Median(ratios):F3} ({ratios[0]:F2}–{ratios[^1]:F2}) |"));
        }

        var all = results.Values.SelectMany(r => r.Select(x => x.After / x.Before)).Order().ToArray();
        var allLatency = results.Values.SelectMany(r => r.Select(x => x.AfterP50 / x.BeforeP50)).Order().ToArray();
        var batchOne = results.Where(kv => kv.Key.Batch == 1).SelectMany(kv => kv.Value.Select(x => x.AfterP50 / x.BeforeP50)).ToArray();
        var batchThousand = results.Where(kv => kv.Key.Batch == 1000).SelectMany(kv => kv.Value.Select(x => x.AfterP50 / x.BeforeP50)).ToArray();
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Over all {all.Length} paired measurements: median p50 ratio {Median(allLatency):F3} (batch 1: {Median(batchOne):F3}, batch 1000: {Median(batchThousand):F3}); median throughput ratio {Median(all):F3}."));
        return text.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static EngineMeasurement Time(Func<object> run, int batch, int iters)
    {
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < 20 || warming.ElapsedMilliseconds < 300; i++)
        {
            run();
        }

        var latencies = new double[iters];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < iters; i++)
        {
            var start = Stopwatch.GetTimestamp();
            run();
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        total.Stop();
        Array.Sort(latencies);
        return new EngineMeasurement(latencies[(latencies.Length - 1) / 2], latencies[(int)Math.Ceiling(0.99 * latencies.Length) - 1], iters * (double)batch / total.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The rows both engines get, as (input name, element type, shape, values): a real model's reference rows repeated
    /// to the batch size, or seeded standard normal values for the synthetic models.
    /// </summary>
    private static List<(string Name, ElementType Type, int[] Shape, Array Values)> Rows(BenchmarkModel model, InferenceSession session, int batch)
    {
        var reference = Path.ChangeExtension(model.Path, null).Replace(".model", string.Empty, StringComparison.Ordinal) is var stem && File.Exists(stem + ".model.reference.json")
            ? stem + ".model.reference.json"
            : stem + ".reference.json";
        var inputs = new List<(string, ElementType, int[], Array)>();
        if (File.Exists(reference))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(reference));
            foreach (var input in document.RootElement.GetProperty("batches")[0].GetProperty("inputs").EnumerateObject())
            {
                var dims = input.Value.GetProperty("dims").EnumerateArray().Select(d => d.GetInt32()).ToArray();
                var data = input.Value.GetProperty("data").EnumerateArray().ToArray();
                var width = dims.Skip(1).Aggregate(1, (a, d) => a * d);
                var type = session.Inputs.Single(i => i.Name == input.Name).Type.ElementType;
                var count = batch * width;
                Array values = type switch
                {
                    ElementType.String => Enumerable.Range(0, count).Select(i => data[i % data.Length].GetString()!).ToArray(),
                    ElementType.Int64 => Enumerable.Range(0, count).Select(i => data[i % data.Length].GetInt64()).ToArray(),
                    ElementType.Double => Enumerable.Range(0, count).Select(i => data[i % data.Length].GetDouble()).ToArray(),
                    _ => Enumerable.Range(0, count).Select(i => data[i % data.Length].ValueKind == JsonValueKind.Number ? data[i % data.Length].GetSingle() : float.NaN).ToArray(),
                };
                inputs.Add((input.Name, type, [batch, .. dims.Skip(1)], values));
            }

            return inputs;
        }

        var random = new Random(42);
        foreach (var input in session.Inputs)
        {
            var width = (int)input.Type.Shape!.Skip(1).Aggregate(1L, (a, d) => a * (d.Value ?? 1));
            var values = new float[batch * width];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
            }

            inputs.Add((input.Name, ElementType.Float, [batch, width], values));
        }

        return inputs;
    }

    private sealed record Case(string Model, int Batch, Func<object> Before, Func<object> After);

    /// <summary>One engine assembly: loads a session and builds a call of <c>Run(IReadOnlyDictionary)</c> on prepared inputs.</summary>
    private sealed class Engine(Assembly assembly)
    {
        private readonly Type _session = assembly.GetType("Escala.Onnx.InferenceSession", throwOnError: true)!;
        private readonly Type _value = assembly.GetType("Escala.Onnx.Tensors.OnnxValue", throwOnError: true)!;
        private readonly Type _tensor = assembly.GetType("Escala.Onnx.Tensors.OnnxTensor`1", throwOnError: true)!;

        public Func<object> Prepare(string path, List<(string Name, ElementType Type, int[] Shape, Array Values)> rows)
        {
            var session = _session.GetMethod("LoadFile", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [path, null])!;
            var dictionaryType = typeof(Dictionary<,>).MakeGenericType(typeof(string), _value);
            var inputs = (IDictionary)Activator.CreateInstance(dictionaryType, StringComparer.Ordinal)!;
            foreach (var (name, _, shape, values) in rows)
            {
                var tensorType = _tensor.MakeGenericType(values.GetType().GetElementType()!);
                var constructor = tensorType.GetConstructor([values.GetType(), typeof(int[])])!;
                inputs.Add(name, constructor.Invoke([values, shape]));
            }

            var readOnly = typeof(IReadOnlyDictionary<,>).MakeGenericType(typeof(string), _value);
            var run = _session.GetMethod("Run", [readOnly])!;
            var call = Expression.Lambda<Func<object>>(Expression.Convert(
                Expression.Call(Expression.Constant(session, _session), run, Expression.Constant(inputs, readOnly)), typeof(object)));
            return call.Compile();
        }
    }
}

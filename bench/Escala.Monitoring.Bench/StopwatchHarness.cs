using System.Diagnostics;
using System.Globalization;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Latency;
using Escala.Core.Monitoring.Quality;
using Escala.Core.Monitoring.Windows;

namespace Escala.Monitoring.Bench;

/// <summary>Quick figures without BenchmarkDotNet: drift over a 1,000,000-row window, and per-row costs, each repeated and reported as min / median.</summary>
internal static class StopwatchHarness
{
    private const int WindowRows = 1_000_000;

    public static void Drift(int repeats)
    {
        var baseline = Workload.Baseline();

        // 1,000,000 distinct rows x 20 features would be 480 MB of FeatureValue; cycling 131,072 pre-made rows costs the same per row.
        var rows = Workload.Rows(131_072, 0.3, seed: 2);
        var detector = new DriftDetector(baseline);
        Console.WriteLine($"Drift over a window of {WindowRows:N0} rows x {Workload.Features} features (+ prediction) against a 100,000-row baseline; {Environment.ProcessorCount} cores.");
        var probe = new WindowAccumulator(baseline);
        Console.WriteLine($"  window memory: {probe.CounterBytes:N0} bytes of counters (fixed, whatever the traffic)");
        foreach (var threads in new[] { 1, Environment.ProcessorCount })
        {
            var accumulate = new List<double>();
            var accumulateCpu = new List<double>();
            var statistics = new List<double>();
            DriftReport? report = null;
            for (var run = 0; run < repeats; run++)
            {
                var window = new WindowAccumulator(baseline);
                var cpu = Cpu();
                var clock = Stopwatch.StartNew();
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
                {
                    for (var i = t; i < WindowRows; i += threads)
                    {
                        var row = rows[i & (rows.Length - 1)];
                        window.Add(row, row[0]);
                    }
                });
                var snapshot = window.Close(default, default);
                accumulate.Add(clock.Elapsed.TotalMilliseconds);
                accumulateCpu.Add((Cpu() - cpu).TotalMilliseconds);
                clock.Restart();
                report = detector.Evaluate(snapshot);
                statistics.Add(clock.Elapsed.TotalMilliseconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {threads} writer thread(s), row by row (Add): accumulate {Stats(accumulate)} ms wall ({Stats(accumulateCpu)} ms CPU), statistics {Stats(statistics)} ms, total min {accumulate.Min() + statistics.Min():F1} ms; drifted: {string.Join(", ", report!.DriftedFeatures)}"));
        }
    }

    /// <summary>The same window fed through <see cref="WindowAccumulator.TryAddBatch"/> in batches of 1,024 rows.</summary>
    public static void DriftBatched(int repeats)
    {
        var baseline = Workload.Baseline();
        var rows = Workload.Rows(131_072, 0.3, seed: 2);
        var predictions = rows.Select(r => r[0]).ToArray();
        var detector = new DriftDetector(baseline);
        const int Batch = 1_024;
        foreach (var threads in new[] { 1, Environment.ProcessorCount })
        {
            var accumulate = new List<double>();
            var accumulateCpu = new List<double>();
            var statistics = new List<double>();
            for (var run = 0; run < repeats; run++)
            {
                var window = new WindowAccumulator(baseline);
                var cpu = Cpu();
                var clock = Stopwatch.StartNew();
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
                {
                    for (var start = t * Batch; start < WindowRows; start += threads * Batch)
                    {
                        var offset = start & (rows.Length - 1);
                        window.TryAddBatch(rows.AsSpan(offset, Batch), predictions.AsSpan(offset, Batch));
                    }
                });
                var snapshot = window.Close(default, default);
                accumulate.Add(clock.Elapsed.TotalMilliseconds);
                accumulateCpu.Add((Cpu() - cpu).TotalMilliseconds);
                clock.Restart();
                detector.Evaluate(snapshot);
                statistics.Add(clock.Elapsed.TotalMilliseconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {threads} writer thread(s), batches of {Batch} (TryAddBatch): accumulate {Stats(accumulate)} ms wall ({Stats(accumulateCpu)} ms CPU), statistics {Stats(statistics)} ms, total min {accumulate.Min() + statistics.Min():F1} ms"));
        }
    }

    public static void PerRow(int repeats)
    {
        var baseline = Workload.Baseline(20_000);
        var rows = Workload.Rows(4_096, 0.1, seed: 2);
        var check = new DataQualityCheck(baseline);
        var issues = new QualityIssue[Workload.Features];
        var window = new WindowAccumulator(baseline);
        var tumbling = new TumblingWindow(baseline, WindowSpec.ByTime(TimeSpan.FromHours(1)));
        var latency = new LatencyHistogram();
        var counters = new RequestCounters();
        const int N = 2_000_000;
        Console.WriteLine($"Per-row cost, single thread, {N:N0} rows per run, {repeats} runs (min / median; bytes allocated per row):");
        Measure("quality check (20 features)", repeats, N, i => check.Check(rows[i & 4095], issues));
        Measure("window add (20 features + prediction)", repeats, N, i => window.Add(rows[i & 4095], rows[i & 4095][0]));
        Measure("tumbling window add", repeats, N, i => tumbling.Add(rows[i & 4095], rows[i & 4095][0]));
        Measure("latency record + counter", repeats, N, i =>
        {
            latency.Record(i & 4095);
            counters.RecordSuccess();
        });
        Measure("all per-request monitoring", repeats, N, i =>
        {
            var row = rows[i & 4095];
            check.Check(row, issues);
            tumbling.Add(row, row[0]);
            latency.Record(i & 4095);
            counters.RecordSuccess();
        });
    }

    private static void Measure(string name, int repeats, int n, Action<int> body)
    {
        for (var i = 0; i < 100_000; i++)
        {
            body(i);
        }

        var times = new List<double>();
        var cpuTimes = new List<double>();
        long allocated = 0;
        for (var run = 0; run < repeats; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var cpu = Cpu();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < n; i++)
            {
                body(i);
            }

            times.Add(clock.Elapsed.TotalNanoseconds / n);
            cpuTimes.Add((Cpu() - cpu).TotalNanoseconds / n);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-40} {Stats(times)} ns/row wall, {Stats(cpuTimes)} ns/row CPU, {(double)allocated / n:F3} B/row"));
    }

    // Process CPU time: on a machine shared with other builds, wall time includes the time this process waited for a core.
    private static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

    private static string Stats(List<double> values)
    {
        var sorted = values.Order().ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{sorted[0]:F1} / {sorted[sorted.Count / 2]:F1}");
    }
}

using System.Diagnostics;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Bench;

/// <summary>One engine measurement: per-call latency percentiles (µs) and throughput.</summary>
internal sealed record EngineMeasurement(double P50Micros, double P99Micros, double RowsPerSecond);

/// <summary>
/// Times <see cref="InferenceSession.Run(IReadOnlyDictionary{string, OnnxValue})"/>, the call the gateway makes, the way
/// ort-reference.mjs times ONNX Runtime: warm-up calls, then timed calls cycling through the prepared batches, wall
/// time for throughput.
/// </summary>
internal static class EngineHarness
{
    public static EngineMeasurement Time(InferenceSession session, List<Dictionary<string, OnnxValue>> batches, int batch, int iters, int warmup = 50)
    {
        // The same 50 warm-up calls as the ORT tool, and at least half a second of them: the JIT compiles hot methods
        // again with profile data after their first calls, and a server reaches that steady state within seconds.
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < warmup || warming.ElapsedMilliseconds < 500; i++)
        {
            session.Run(batches[i % batches.Count]);
        }

        var latencies = new double[iters];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < iters; i++)
        {
            var start = Stopwatch.GetTimestamp();
            session.Run(batches[i % batches.Count]);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        total.Stop();
        Array.Sort(latencies);
        return new EngineMeasurement(Percentile(latencies, 50), Percentile(latencies, 99), iters * (double)batch / total.Elapsed.TotalSeconds);
    }

    /// <summary>The same nearest-rank percentile the ORT tool reports.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

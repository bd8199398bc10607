using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Escala.Onnx;
using Escala.Onnx.Tensors;

namespace Escala.Cli.Onnx;

/// <summary>
/// <c>escala onnx bench MODEL.onnx --batch B --iters N [--inputs FILE.json]</c>: times N calls after a warm-up
/// and prints one JSON line (batch, iters, p50_us, p99_us, rows_per_s), comparable with <c>ort-reference.mjs bench</c>.
/// </summary>
internal static class BenchCommand
{
    private static readonly TimeSpan WarmupTime = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .onnx file." };
        var batch = new Option<int>("--batch") { Description = "Rows per call (the first dynamic dim).", DefaultValueFactory = _ => 1 };
        var iters = new Option<int>("--iters") { Description = "Timed calls.", DefaultValueFactory = _ => 1000 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed calls first (at least this many, and at least one second of calls so the JIT has finished).", DefaultValueFactory = _ => 50 };
        var seed = new Option<int>("--seed") { Description = "Seed of the random inputs.", DefaultValueFactory = _ => 42 };
        var inputs = new Option<FileInfo?>("--inputs") { Description = "Rows to use instead of random values (the format ort-reference.mjs run reads, --dump-inputs writes)." };
        var dims = new Option<string[]>("--dim") { Description = "Size of a dynamic dim other than the batch: NAME=VALUE or INPUT:INDEX=VALUE.", AllowMultipleArgumentsPerToken = false };
        var profile = new Option<bool>("--profile") { Description = "Also report the mean time of every node (adds a \"nodes\" array)." };
        var command = new Command("bench", "Time a model on random or given inputs; prints one JSON line.");
        command.Arguments.Add(model);
        command.Options.Add(batch);
        command.Options.Add(iters);
        command.Options.Add(warmup);
        command.Options.Add(seed);
        command.Options.Add(inputs);
        command.Options.Add(dims);
        command.Options.Add(profile);
        command.SetAction(parseResult => CommandFailure.Guard(parseResult, output =>
        {
            var b = Positive(parseResult.GetValue(batch), "--batch");
            var n = Positive(parseResult.GetValue(iters), "--iters");
            var w = Math.Max(0, parseResult.GetValue(warmup));
            var file = parseResult.GetValue(model)!;
            var options = new OnnxSessionOptions { CollectNodeTimings = parseResult.GetValue(profile) };
            var session = InferenceSession.Load(CommandFailure.ReadFile(file, "model file"), options);
            var inputsFile = parseResult.GetValue(inputs);
            var batches = inputsFile is not null
                ? BenchInputs.FromFile(session, CommandFailure.ReadFile(inputsFile, "--inputs file"), b)
                : BenchInputs.Random(session, b, n, parseResult.GetValue(seed), ParseDims(parseResult.GetValue(dims) ?? []));
            output.WriteLine(Measure(session, batches, file.Name, b, n, w));
            return 0;
        }));
        return command;
    }

    private static string Measure(InferenceSession session, List<OnnxValue[]> batches, string model, int batch, int iters, int warmup)
    {
        // The JIT optimises hot methods after their first calls; time the steady state, as a server runs.
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < warmup || (warm.Elapsed < WarmupTime && i < 1_000_000); i++)
        {
            session.Run(batches[i % batches.Count]);
        }

        session.ResetNodeTimings();
        var ticks = new long[iters];
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < iters; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            session.Run(batches[i % batches.Count]);
            ticks[i] = Stopwatch.GetTimestamp() - t0;
        }

        var total = Stopwatch.GetElapsedTime(start);
        Array.Sort(ticks);
        var toMicroseconds = 1_000_000.0 / Stopwatch.Frequency;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("model", model);
            json.WriteNumber("batch", batch);
            json.WriteNumber("iters", iters);
            json.WriteNumber("p50_us", Math.Round(Percentile(ticks, 50) * toMicroseconds, 2));
            json.WriteNumber("p99_us", Math.Round(Percentile(ticks, 99) * toMicroseconds, 2));
            json.WriteNumber("rows_per_s", Math.Round(batch * (double)iters / total.TotalSeconds));
            if (session.NodeTimings.Count > 0)
            {
                json.WriteStartArray("nodes");
                foreach (var node in session.NodeTimings)
                {
                    json.WriteStartObject();
                    json.WriteString("node", node.NodeName);
                    json.WriteString("op", node.OpType);
                    json.WriteNumber("mean_us", Math.Round(node.PerRun.TotalMicroseconds, 2));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    // Nearest rank, as ort-reference.mjs computes it.
    private static long Percentile(long[] sorted, int p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static int Positive(int value, string option) =>
        value >= 1 ? value : throw new CommandFailure(CommandFailure.UsageError, $"{option} must be at least 1, got {value}");

    private static Dictionary<string, int> ParseDims(string[] values)
    {
        var dims = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            var at = v.LastIndexOf('=');
            if (at <= 0 || !int.TryParse(v[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                throw new CommandFailure(CommandFailure.UsageError, $"--dim must be NAME=VALUE, got '{v}'");
            }

            dims[v[..at]] = size;
        }

        return dims;
    }
}

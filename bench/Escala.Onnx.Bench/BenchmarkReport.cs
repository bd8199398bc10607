using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Escala.Onnx.Bench;

/// <summary>One model at one batch size in one repeat: ONNX Runtime's figures and the engine's (null when it cannot load the model).</summary>
internal sealed record BenchRun(BenchmarkModel Model, int Batch, int Repeat, OrtMeasurement Ort, EngineMeasurement? Engine);

/// <summary>Renders the runs as the "Inference engine" section of docs/benchmarks.md and writes it there.</summary>
internal static class BenchmarkReport
{
    public const string Heading = "## Inference engine";

    private static readonly string[] Areas = ["## Inference engine", "## Serving gateway", "## Monitoring", "## Registry and storage"];

    public static string DefaultPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Escala.slnx")))
            {
                return Path.Combine(dir.FullName, "docs", "benchmarks.md");
            }
        }

        return Path.Combine(Environment.CurrentDirectory, "docs", "benchmarks.md");
    }

    public static string Render(IReadOnlyList<BenchRun> runs, IReadOnlyDictionary<string, string> loadErrors, BenchOptions options)
    {
        var text = new StringBuilder();
        var first = runs.FirstOrDefault();
        var repeats = runs.Count == 0 ? 0 : runs.Max(r => r.Repeat);
        text.AppendLine(Heading).AppendLine();
        text.AppendLine("<!-- Written by bench/Escala.Onnx.Bench; run it again to refresh this section. -->").AppendLine();
        text.AppendLine(Invariant($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Cpu()} ({Environment.ProcessorCount} logical cores, shared with other engineers' builds while measuring), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; reference {first?.Ort.Engine ?? "?"} under Node {first?.Ort.Node ?? "?"}."));
        text.AppendLine();
        text.AppendLine($"Command (repository root): `dotnet run -c Release --project bench/Escala.Onnx.Bench --{(options.Arguments.Length > 0 ? " " + options.Arguments : string.Empty)}`");
        text.AppendLine();
        text.AppendLine("It writes the synthetic models with the engine's `OnnxModelBuilder`, then for every model and batch size runs " +
            "`node ../shared/tools/ort-reference.mjs bench MODEL --batch B --iters K --rows R --warmup 50 --json --overhead --dump-inputs FILE` " +
            "(ONNX Runtime, 1 intra-op thread, graph optimisation `all`) and, right after, times the engine in process through " +
            "`InferenceSession.Run` (the call the gateway makes, one thread) on the very rows the tool dumped, with the same warm-up, call count " +
            "and percentile rule. Per-call latency is p50/p99 in µs; throughput is rows per second of wall time over the timed calls.");
        text.AppendLine();
        text.AppendLine(Invariant($"Each figure is the median over {repeats} runs; the last column gives Escala's throughput as a multiple of ONNX Runtime's, median and (lowest–highest) over the runs. The machine is shared with other engineers' builds and tests (load average {options.LoadBefore} when the run started, {LoadAverage()} when it ended, on 2 cores), so single runs vary by 10-30 % and sometimes by several times: the p99 columns and the lowest–highest ratios show how much."));
        text.AppendLine();
        text.AppendLine("| model | batch | ORT p50 | ORT p99 | Node call overhead p50 | Escala p50 | Escala p99 | ORT rows/s | Escala rows/s | Escala ÷ ORT |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var groups = runs.GroupBy(r => (r.Model.Name, r.Batch)).ToList();
        var verdicts = new List<string>();
        foreach (var group in groups)
        {
            var model = group.First().Model;
            var ortP50 = Median(group.Select(r => r.Ort.P50Micros));
            var ortP99 = Median(group.Select(r => r.Ort.P99Micros));
            var overhead = Median(group.Select(r => r.Ort.OverheadP50Micros));
            var ortRows = Median(group.Select(r => r.Ort.RowsPerSecond));
            var engineRuns = group.Where(r => r.Engine is not null).ToList();
            if (engineRuns.Count == 0)
            {
                text.AppendLine(Invariant($"| {model.Name} | {group.Key.Batch} | {ortP50:F1} | {ortP99:F1} | {overhead:F1} | not loadable: {Escape(loadErrors.GetValueOrDefault(model.Name, "?"))} | | {ortRows:F0} | | |"));
                verdicts.Add($"- {model.Name}: the engine cannot load it ({Escape(loadErrors.GetValueOrDefault(model.Name, "?"))}).");
                continue;
            }

            var p50 = Median(engineRuns.Select(r => r.Engine!.P50Micros));
            var p99 = Median(engineRuns.Select(r => r.Engine!.P99Micros));
            var rows = Median(engineRuns.Select(r => r.Engine!.RowsPerSecond));
            var ratios = engineRuns.Select(r => r.Engine!.RowsPerSecond / r.Ort.RowsPerSecond).ToList();
            // Only at batch 1 is the Identity model's cost a per-call overhead; at batch 1000 it is dominated by copying
            // a wide output back to JavaScript, which the real models do not do.
            var overheadText = group.Key.Batch == 1 ? Invariant($"{overhead:F1}") : "—";
            text.AppendLine(Invariant($"| {model.Name} | {group.Key.Batch} | {ortP50:F1} | {ortP99:F1} | {overheadText} | {p50:F1} | {p99:F1} | {ortRows:F0} | {rows:F0} | {Median(ratios):F2}× ({ratios.Min():F2}–{ratios.Max():F2}) |"));
            // Node's per-call cost is only worth subtracting at batch 1, and only where it is a fraction of ORT's time.
            var net = group.Key.Batch == 1 && overhead < 0.8 * ortP50 ? ortP50 - overhead : double.NaN;
            if (model.Kind is "tree ensemble" or "linear")
            {
                var met = Median(ratios) >= 1;
                var detail = double.IsNaN(net)
                    ? Invariant($"p50 per call {ortP50 / p50:F2}× shorter")
                    : Invariant($"{net / p50:F2}× shorter p50 even with Node's call overhead taken off ORT's");
                verdicts.Add(Invariant($"- {model.Name}, batch {group.Key.Batch}: {(met ? "met" : "missed")}, {Median(ratios):F2}× ONNX Runtime's rows/s ({detail})."));
            }
            else if (model.Kind == "mlp")
            {
                var detail = double.IsNaN(net) ? string.Empty : Invariant($"; {p50 / net:F2}× against ORT minus Node's call overhead");
                verdicts.Add(Invariant($"- {model.Name}, batch {group.Key.Batch}: Escala takes {p50 / ortP50:F2}× ONNX Runtime's p50 time{detail} (target: at most 2×)."));
            }
        }

        text.AppendLine();
        text.AppendLine("Targets (single thread): at least ONNX Runtime's rows/s on every tree-ensemble and linear model; no more than 2× its time on the MLP.");
        text.AppendLine();
        foreach (var verdict in verdicts)
        {
            text.AppendLine(verdict);
        }

        text.AppendLine();
        text.AppendLine("Notes:");
        text.AppendLine();
        text.AppendLine("- Synthetic models: `trees*` are complete trees of depth 8 on 30 features with random splits (regressor: one value per leaf; classifier: 3 classes, each tree voting for one, SOFTMAX); `logistic_regression` is LinearClassifier (LOGISTIC) + Normalizer (L1) on 100 features as skl2onnx writes a binary LogisticRegression; `mlp_64_128_64_2` is Gemm + Relu, Gemm + Relu, Gemm + Softmax. Inputs are the tool's seeded standard normal rows (strings `s0`..`s9`, integers 0-9).");
        text.AppendLine("- The other rows are the real models of ../shared/onnx-real-models. The 2018 `Sklearn*` exports fix the batch at 1, so they have no batch-1000 row. For models ending in ZipMap the tool times ONNX Runtime up to the ZipMap's input (onnxruntime-node cannot return maps), while the engine also builds the map sequence.");
        text.AppendLine("- \"Node call overhead\" is the tool's `--overhead` figure: the same inputs through an Identity model, i.e. what one call from Node into ONNX Runtime costs before any operator runs. ONNX Runtime called natively would not pay all of it, so at batch 1 compare Escala's p50 with ORT's p50 minus that overhead as well.");
        return text.ToString();
    }

    /// <summary>Replaces (or adds) the "Inference engine" section of <paramref name="path"/>, creating the file with a heading per area.</summary>
    public static void WriteSection(string path, string section)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var existing = File.Exists(path) ? File.ReadAllText(path) : Skeleton();
        var start = existing.IndexOf(Heading, StringComparison.Ordinal);
        if (start < 0)
        {
            existing = existing.TrimEnd() + "\n\n" + Heading + "\n";
            start = existing.IndexOf(Heading, StringComparison.Ordinal);
        }

        var next = existing.IndexOf("\n## ", start + Heading.Length, StringComparison.Ordinal);
        var updated = existing[..start] + section.TrimEnd() + "\n" + (next < 0 ? string.Empty : existing[next..]);
        File.WriteAllText(path, updated);
    }

    private static string Skeleton()
    {
        var text = new StringBuilder("# Benchmarks\n\nFigures from the projects under `bench/`, each compared side by side in the same run with the reference its issue names. Every section says how it was measured and the command that repeats it.\n");
        foreach (var area in Areas)
        {
            text.Append('\n').Append(area).Append("\n\n_Not measured yet: the owner of this area adds it._\n");
        }

        return text.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Cpu()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    /// <summary>The 1-minute load average (Linux), or "?".</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

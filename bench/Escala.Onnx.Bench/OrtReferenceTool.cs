using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Escala.Onnx.Bench;

/// <summary>One ONNX Runtime measurement from <c>ort-reference.mjs bench --json</c>.</summary>
internal sealed record OrtMeasurement(
    int Batch, double P50Micros, double P99Micros, double RowsPerSecond, double OverheadP50Micros, string Engine, string Node, string DumpPath);

/// <summary>
/// Runs ../shared/tools/ort-reference.mjs (onnxruntime-node, CPU, one thread) as a child process: one bench per model
/// and batch size, which also dumps the exact input rows so the engine is timed on the same data.
/// </summary>
internal sealed class OrtReferenceTool(string toolPath)
{
    /// <summary>The tool, found from ESCALA_SHARED or as ../shared beside the repository; null when absent.</summary>
    public static OrtReferenceTool? Find()
    {
        var shared = Environment.GetEnvironmentVariable("ESCALA_SHARED");
        if (string.IsNullOrEmpty(shared))
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Escala.slnx")))
                {
                    shared = Path.Combine(dir.FullName, "..", "shared");
                    break;
                }
            }
        }

        var tool = shared is null ? null : Path.GetFullPath(Path.Combine(shared, "tools", "ort-reference.mjs"));
        return tool is not null && File.Exists(tool) && Directory.Exists(Path.Combine(Path.GetDirectoryName(tool)!, "node_modules"))
            ? new OrtReferenceTool(tool)
            : null;
    }

    /// <summary>The tool's path.</summary>
    public string ToolPath { get; } = toolPath;

    /// <summary>The command line run for one measurement (for the report).</summary>
    public static string CommandLine(string model, int batch, int iters, int rows, string dump) =>
        $"node ort-reference.mjs bench {model} --batch {batch} --iters {iters} --rows {rows} --warmup 50 --json --overhead --dump-inputs {dump}";

    /// <summary>Benchmarks <paramref name="model"/> and dumps its input pool to <paramref name="dumpPath"/>.</summary>
    public OrtMeasurement Bench(string model, int batch, int iters, int rows, string dumpPath, IReadOnlyList<string> dims)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(ToolPath)!,
        };
        foreach (var arg in new[]
        {
            ToolPath, "bench", model, "--batch", Text(batch), "--iters", Text(iters), "--rows", Text(rows), "--warmup", "50",
            "--json", "--overhead", "--dump-inputs", dumpPath,
        })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var dim in dims)
        {
            start.ArgumentList.Add("--dim");
            start.ArgumentList.Add(dim);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ort-reference.mjs bench {model} took more than 10 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ort-reference.mjs bench {model} failed ({process.ExitCode}): {stderr.Result.Trim()}");
        }

        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        var latency = root.GetProperty("latency_ms");
        return new OrtMeasurement(
            root.GetProperty("batch").GetInt32(),
            latency.GetProperty("p50").GetDouble() * 1000,
            latency.GetProperty("p99").GetDouble() * 1000,
            root.GetProperty("rows_per_s").GetDouble(),
            root.TryGetProperty("binding_overhead_ms", out var overhead) ? overhead.GetProperty("p50").GetDouble() * 1000 : double.NaN,
            root.GetProperty("engine").GetString() ?? "onnxruntime-node",
            root.GetProperty("node").GetString() ?? "?",
            dumpPath);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

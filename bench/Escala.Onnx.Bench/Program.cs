using System.Globalization;
using System.Text.Json;
using Escala.Onnx;
using Escala.Onnx.Bench;

// Times every benchmark model with ONNX Runtime (ort-reference.mjs, one thread) and with the engine, side by side in
// one run, on the same input rows, and writes the table into docs/benchmarks.md ("Inference engine").
if (args.Length >= 2 && args[0] == "--budget-cost")
{
    // The byte budget's cost: this engine against the engine from before it, in one process (no ONNX Runtime).
    var repeatCost = 3;
    string? onlyCost = null;
    for (var i = 2; i + 1 < args.Length; i += 2)
    {
        (repeatCost, onlyCost) = args[i] switch
        {
            "--repeat" => (int.Parse(args[i + 1], CultureInfo.InvariantCulture), onlyCost),
            "--only" => (repeatCost, args[i + 1]),
            _ => throw new ArgumentException(BudgetCost.Usage),
        };
    }

    var costWork = Path.Combine(Path.GetTempPath(), $"escala-budget-cost-{Environment.ProcessId}");
    try
    {
        var shared = Environment.GetEnvironmentVariable("ESCALA_SHARED") is { Length: > 0 } s ? s : Path.Combine(RepositoryRoot(), "..", "shared");
        return BudgetCost.Run(args[1], repeatCost, onlyCost, [.. BenchmarkModels.Write(Path.Combine(costWork, "models")), .. RealModels(shared)]);
    }
    finally
    {
        Directory.Delete(costWork, recursive: true);
    }
}

var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var tool = OrtReferenceTool.Find();
if (tool is null)
{
    Console.Error.WriteLine("ONNX Runtime's reference tool was not found: it needs ../shared/tools/ort-reference.mjs beside the repository " +
        "(or ESCALA_SHARED pointing at the shared folder) with `npm ci --ignore-scripts` run in it.");
    return 2;
}

var work = Path.Combine(Path.GetTempPath(), $"escala-bench-{Environment.ProcessId}");
Directory.CreateDirectory(work);
try
{
    if (options.Differential > 0)
    {
        return DifferentialCheck.Run(tool, options.Differential, work);
    }

    var models = BenchmarkModels.Write(Path.Combine(work, "models")).Concat(RealModels(Path.GetDirectoryName(Path.GetDirectoryName(tool.ToolPath)!)!))
        .Where(m => options.Only is null || m.Name.Contains(options.Only, StringComparison.OrdinalIgnoreCase))
        .ToList();
    var runs = new List<BenchRun>();
    var sessions = new Dictionary<string, InferenceSession?>();
    var loadErrors = new Dictionary<string, string>();
    for (var repeat = 1; repeat <= options.Repeat; repeat++)
    {
        foreach (var model in models)
        {
            if (!sessions.TryGetValue(model.Name, out var session))
            {
                try
                {
                    session = InferenceSession.LoadFile(model.Path);
                }
                catch (OnnxException e)
                {
                    loadErrors[model.Name] = e.Message;
                }

                sessions[model.Name] = session;
            }

            foreach (var batch in model.FixedBatch ? new[] { 1 } : [1, 1000])
            {
                var (iters, rows) = options.Plan(model, batch);
                var dump = Path.Combine(work, $"{model.Name}-{batch}.json");
                var ort = tool.Bench(model.Path, batch, iters, rows, dump, model.Dims);
                EngineMeasurement? engine = null;
                if (session is not null)
                {
                    engine = EngineHarness.Time(session, DumpedInputs.Batches(dump, ort.Batch), ort.Batch, iters);
                }

                File.Delete(dump);
                runs.Add(new BenchRun(model, ort.Batch, repeat, ort, engine));
                var escala = engine is null
                    ? "engine: not loadable"
                    : string.Create(CultureInfo.InvariantCulture, $"Escala p50 {engine.P50Micros,9:F1} µs {engine.RowsPerSecond,10:F0} rows/s");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{repeat}/{options.Repeat}] {model.Name,-44} batch {ort.Batch,4}: ORT p50 {ort.P50Micros,9:F1} µs {ort.RowsPerSecond,10:F0} rows/s | {escala}"));
            }
        }
    }

    var report = BenchmarkReport.Render(runs, loadErrors, options);
    Console.WriteLine();
    Console.WriteLine(report);
    if (options.Write)
    {
        var path = options.OutputPath ?? BenchmarkReport.DefaultPath();
        BenchmarkReport.WriteSection(path, report);
        Console.WriteLine($"Wrote the 'Inference engine' section of {path}.");
    }

    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Escala.slnx")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}

static IEnumerable<BenchmarkModel> RealModels(string shared)
{
    var folder = Path.Combine(shared, "onnx-real-models");
    var index = Path.Combine(folder, "index.json");
    if (!File.Exists(index))
    {
        yield break;
    }

    using var document = JsonDocument.Parse(File.ReadAllBytes(index));
    foreach (var model in document.RootElement.GetProperty("models").EnumerateArray())
    {
        var file = model.GetProperty("file").GetString()!;
        var ops = model.GetProperty("ops").EnumerateArray().Select(o => o.GetString()!).ToList();
        var kind = ops.Any(o => o.Contains("TreeEnsemble", StringComparison.Ordinal)) ? "tree ensemble"
            : ops.Any(o => o.Contains("Linear", StringComparison.Ordinal)) ? "linear"
            : ops.Any(o => o.Contains("SVM", StringComparison.Ordinal)) ? "svm"
            : "other";

        // The 2018 exports fix the first dim at 1: ONNX Runtime (and the engine) only take one row per call.
        var firstInput = model.GetProperty("inputs")[0].GetProperty("type").GetString()!;
        var fixedBatch = !firstInput.Contains("[?", StringComparison.Ordinal);

        // Models declaring [?, ?] (treecl*) need their width: take it from the reference file's rows.
        using var reference = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, model.GetProperty("reference").GetString()!)));
        var dims = new List<string>();
        foreach (var input in reference.RootElement.GetProperty("batches")[0].GetProperty("inputs").EnumerateObject())
        {
            var sizes = input.Value.GetProperty("dims").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            for (var axis = 1; axis < sizes.Length; axis++)
            {
                dims.Add(string.Create(CultureInfo.InvariantCulture, $"{input.Name}:{axis}={sizes[axis]}"));
            }
        }

        yield return new BenchmarkModel(
            Path.GetFileNameWithoutExtension(file).Replace(".model", string.Empty, StringComparison.Ordinal),
            Path.Combine(folder, file), kind, model.GetProperty("what").GetString()!, fixedBatch) { Dims = dims };
    }
}

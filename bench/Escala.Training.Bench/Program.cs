using System.Diagnostics;
using System.Globalization;
using Escala.Training.Datasets;
using Escala.Training.Evaluation;
using Escala.Training.Trainers;

// Training benchmark on Adult, UCI's own split (rows 1-32,561 train, 32,562-48,842 test): the built-in LightGBM trainer
// (ML.NET, exported to ONNX, AUC scored in Escala's engine) against scikit-learn's HistGradientBoostingClassifier and
// XGBoost on the same files, same tree settings, in one run. Usage: dotnet run -c Release --project bench/Escala.Training.Bench [ADULT.csv] [PYTHON]
var source = args.Length > 0 ? args[0] : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/datasets/adult.csv"));
var python = args.Length > 1 ? args[1] : Environment.GetEnvironmentVariable("ESCALA_PYTHON") ?? "/usr/bin/python3";
if (!File.Exists(source))
{
    Console.Error.WriteLine($"error: {source} not found; pass the path to ../shared/datasets/adult.csv");
    return 1;
}

var folder = Directory.CreateTempSubdirectory("escala-training-bench-").FullName;
var lines = File.ReadAllLines(source);
var train = Path.Combine(folder, "train.csv");
var test = Path.Combine(folder, "test.csv");
File.WriteAllLines(train, lines.Take(1 + 32_561));
File.WriteAllLines(test, lines.Take(1).Concat(lines.Skip(1 + 32_561)));
Console.WriteLine($"Adult: {32_561:N0} training rows, {lines.Length - 1 - 32_561:N0} holdout rows; {Environment.ProcessorCount} cores");

var started = Stopwatch.GetTimestamp();
var model = MlNetTrainer.Train(train, CsvSchema.Read(train), new TrainingSpec(TrainerKind.LightGbm, TrainingTask.Binary, "income", ">50K"));
var trainSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
var metrics = HoldoutEvaluator.Evaluate(model.Onnx, CsvTable.Read(test), new EvaluationSpec("income", TrainingTask.Binary, ">50K", []));
Console.WriteLine("library                                          train s   holdout AUC");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"Escala built-in LightGBM (ML.NET 5.0.1, incl. ONNX export)",-48} {trainSeconds,7:0.00}   {metrics.Overall["auc"]:0.0000}"));

try
{
    using var process = Process.Start(new ProcessStartInfo(python, [Path.Combine(AppContext.BaseDirectory, "compare.py"), train, test]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
    var output = process.StandardOutput.ReadToEnd();
    var error = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        Console.WriteLine($"python side skipped: {python} failed ({error.Trim().Split('\n').LastOrDefault()}); install python3-sklearn python3-xgboost");
    }

    foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
    {
        var parts = line.Split(' ');
        Console.WriteLine($"{string.Join(' ', parts[..^2]),-48} {parts[^2],7}   {parts[^1]}");
    }
}
catch (System.ComponentModel.Win32Exception e)
{
    Console.WriteLine($"python side skipped: {python} not found ({e.Message}); set ESCALA_PYTHON");
}

Directory.Delete(folder, recursive: true);
return 0;

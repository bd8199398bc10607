using BenchmarkDotNet.Running;
using Escala.Monitoring.Bench;

// dotnet run -c Release --project bench/Escala.Monitoring.Bench -- [drift|rows|observer|sensitivity|bdn <BenchmarkDotNet args>] [repeats] [adult.csv]
var mode = args.Length > 0 ? args[0] : "all";
var repeats = args.Length > 1 && int.TryParse(args[1], out var r) ? r : 5;
switch (mode)
{
    case "drift":
        StopwatchHarness.Drift(repeats);
        StopwatchHarness.DriftBatched(repeats);
        break;
    case "rows":
        StopwatchHarness.PerRow(repeats);
        break;
    case "observer":
        await ObserverHarness.RunAsync(repeats);
        break;
    case "sensitivity":
        Sensitivity.Run(args.Length > 1 ? repeats : 50, args.Length > 2 ? args[2] : null);
        break;
    case "bdn":
        BenchmarkSwitcher.FromAssembly(typeof(PerRowBenchmarks).Assembly).Run(args[1..]);
        break;
    case "all":
        StopwatchHarness.Drift(repeats);
        StopwatchHarness.DriftBatched(repeats);
        StopwatchHarness.PerRow(repeats);
        break;
    default:
        Console.Error.WriteLine($"Unknown mode '{mode}'. Use drift, rows, observer, sensitivity, bdn or all.");
        return 2;
}

return 0;

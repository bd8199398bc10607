using System.Globalization;

namespace Escala.Onnx.Bench;

/// <summary>Command-line options of the benchmark.</summary>
internal sealed record BenchOptions(int Repeat, bool Quick, string? Only, bool Write, string? OutputPath, int Differential = 0)
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/Escala.Onnx.Bench -- [--repeat N] [--quick] [--only TEXT] [--no-write] [--out FILE]
               dotnet run -c Release --project bench/Escala.Onnx.Bench -- --differential [N]
          --repeat N   run everything N times (default 3) and report the median and the spread
          --quick      fewer calls per measurement (a smoke run; figures are noisier)
          --only TEXT  only models whose name contains TEXT
          --no-write   print the table without writing docs/benchmarks.md
          --out FILE   write the section into FILE instead of docs/benchmarks.md
          --differential [N]  instead of timing: N (default 300) random tree ensembles through ONNX Runtime and the
                       engine, every difference classified (exit 1 if one is not a documented specification reading)
        """;

    /// <summary>The exact arguments, for the report.</summary>
    public string Arguments { get; init; } = string.Empty;

    /// <summary>The load average when the run started, for the report.</summary>
    public string LoadBefore { get; init; } = BenchmarkReport.LoadAverage();

    public static BenchOptions? Parse(string[] args)
    {
        var options = new BenchOptions(3, false, null, true, null) { Arguments = string.Join(' ', args) };
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--repeat" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0:
                    options = options with { Repeat = n };
                    i++;
                    break;
                case "--quick":
                    options = options with { Quick = true };
                    break;
                case "--only" when i + 1 < args.Length:
                    options = options with { Only = args[++i] };
                    break;
                case "--no-write":
                    options = options with { Write = false };
                    break;
                case "--out" when i + 1 < args.Length:
                    options = options with { OutputPath = args[++i] };
                    break;
                case "--differential":
                    var count = i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var c) && c > 0 ? c : 0;
                    i += count > 0 ? 1 : 0;
                    options = options with { Differential = count > 0 ? count : 300 };
                    break;
                default:
                    return null;
            }
        }

        return options;
    }

    /// <summary>Timed calls and input pool rows for one measurement, sized so each takes a few seconds per engine.</summary>
    public (int Iters, int Rows) Plan(BenchmarkModel model, int batch)
    {
        var heavy = model.Name.Contains("trees500", StringComparison.Ordinal);
        var (iters, rows) = batch == 1
            ? (heavy ? 1000 : 3000, 2000)
            : (heavy ? 40 : model.Name.Contains("trees100", StringComparison.Ordinal) ? 100 : 200, 10 * batch);
        return Quick ? (Math.Max(20, iters / 5), rows) : (iters, rows);
    }
}

using System.Globalization;

namespace Escala.Onnx.Bench;

/// <summary>Command-line options of the benchmark.</summary>
internal sealed record BenchOptions(int Repeat, bool Quick, string? Only, bool Write, string? OutputPath)
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/Escala.Onnx.Bench -- [--repeat N] [--quick] [--only TEXT] [--no-write] [--out FILE]
          --repeat N   run everything N times (default 3) and report the median and the spread
          --quick      fewer calls per measurement (a smoke run; figures are noisier)
          --only TEXT  only models whose name contains TEXT
          --no-write   print the table without writing docs/benchmarks.md
          --out FILE   write the section into FILE instead of docs/benchmarks.md
        """;

    /// <summary>The exact arguments, for the report.</summary>
    public string Arguments { get; init; } = string.Empty;

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

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Escala.Cli.Client;
using Spectre.Console;

namespace Escala.Cli.Batch;

/// <summary><c>escala batch ENDPOINT --in data.csv --out scored.csv</c>: score a CSV file of any size through an endpoint, with a progress bar.</summary>
public static class BatchCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint." };
        var input = new Option<FileInfo>("--in") { Description = "The CSV to score; its header names the features (or the model's inputs).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the scored CSV (written to OUT.partial, renamed when complete).", Required = true };
        var chunk = new Option<int>("--chunk") { Description = "Rows per request.", DefaultValueFactory = _ => 1000 };
        var parallel = new Option<int>("--parallel") { Description = "Requests in flight at once.", DefaultValueFactory = _ => 2 };
        var version = new Option<string?>("--version") { Description = "Score with one version of the endpoint instead of its routing." };
        var department = new Option<string?>("--department") { Description = "Attribute the rows to this department." };
        var command = new Command("batch", "Score a CSV file through an endpoint, streaming in chunks, with a progress bar.")
        {
            endpoint, input, output, chunk, parallel, version, department,
        };
        command.WithClientOptions();
        return command.Runs(async (cli, ct) =>
        {
            var source = cli.Get(input)!;
            var target = cli.Get(output)!;
            if (!source.Exists)
            {
                throw new CliException($"The input file {source.FullName} does not exist.");
            }

            if (cli.Get(chunk) is < 1 or > 100_000 || cli.Get(parallel) is < 1 or > 64)
            {
                throw new CliException("--chunk must be 1 to 100000 rows and --parallel 1 to 64.");
            }

            var scorer = new CsvBatchScorer(cli.Client, cli.Get(endpoint)!, cli.Get(version), cli.Get(department), cli.Get(chunk), cli.Get(parallel));
            var partial = target.FullName + ".partial";
            BatchSummary? summary = null;
            await using (var file = new FileStream(source.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            {
                await using var writer = new StreamWriter(partial, append: false, new System.Text.UTF8Encoding(false), 1 << 16);
                await cli.Console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask($"scoring {source.Name}", maxValue: Math.Max(1, source.Length));
                        summary = await scorer.ScoreAsync(file, writer, new Progress<long>(read => task.Value = read), ct);
                        task.Value = task.MaxValue;
                    });
            }

            File.Move(partial, target.FullName, overwrite: true);
            var s = summary!;
            var versions = string.Join(", ", s.RowsByVersion.OrderByDescending(p => p.Value)
                .Select(p => $"{p.Key} {p.Value.ToString("N0", CultureInfo.InvariantCulture)}"));
            cli.Line(string.Create(CultureInfo.InvariantCulture,
                $"Scored {s.Rows:N0} rows in {s.Chunks:N0} requests in {s.Elapsed.TotalSeconds:0.0} s ({s.Rows / Math.Max(s.Elapsed.TotalSeconds, 1e-9):N0} rows/s): {versions}; {s.FallbackRows:N0} rows by a fallback. Wrote {target.FullName}."));
            cli.Line(string.Create(CultureInfo.InvariantCulture, $"Peak memory (resident): {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):0} MB."));
        });
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Escala.Gateway.LoadTest;

// A bounded load generator for the gateway benchmark (see docs/benchmarks.md, "Gateway").
var url = new Option<string>("--url") { Description = "Target URL on 127.0.0.1 (GET without --body, POST with it).", Required = true };
var body = new Option<FileInfo?>("--body") { Description = "JSON request body file (POSTed with application/json)." };
var headers = new Option<string[]>("--header") { Description = "Extra header 'Name: value' (repeatable); also sent with --churn calls.", AllowMultipleArgumentsPerToken = false };
var concurrency = new Option<int>("--concurrency") { Description = "Workers (and at most this many requests in flight).", DefaultValueFactory = _ => 16 };
var rate = new Option<double>("--rate") { Description = "Requests per second on a fixed schedule; 0 = closed loop (as fast as the server answers).", DefaultValueFactory = _ => 0 };
var duration = new Option<double>("--duration") { Description = "Measured seconds (at most 600).", DefaultValueFactory = _ => 10 };
var warmup = new Option<double>("--warmup") { Description = "Unmeasured seconds before measuring.", DefaultValueFactory = _ => 2 };
var maxRequests = new Option<long>("--max-requests") { Description = "Stop after this many measured requests.", DefaultValueFactory = _ => 50_000_000 };
var countHeader = new Option<string?>("--count-header") { Description = "Tally the values of this response header (e.g. X-Escala-Version)." };
var expect = new Option<string?>("--expect") { Description = "A response counts as failed unless its body contains this text." };
var churn = new Option<string[]>("--churn") { Description = "'METHOD URL' called in turn every --churn-every ms during the measurement (repeatable)." };
var churnEvery = new Option<int>("--churn-every") { Description = "Milliseconds between churn calls.", DefaultValueFactory = _ => 1000 };
var label = new Option<string>("--label") { Description = "Name of this run in the output.", DefaultValueFactory = _ => "run" };
var jsonOut = new Option<FileInfo?>("--json-out") { Description = "Append the result as one JSON line to this file." };

var root = new RootCommand("Escala gateway load test: bounded HTTP load on 127.0.0.1 with latency percentiles and rollout churn.")
{
    url, body, headers, concurrency, rate, duration, warmup, maxRequests, countHeader, expect, churn, churnEvery, label, jsonOut,
};

root.SetAction(async (parse, cancel) =>
{
    LoadOptions options;
    try
    {
        var seconds = parse.GetValue(duration);
        if (seconds is <= 0 or > 600)
        {
            throw new ArgumentException("--duration must be between 0 and 600 seconds.");
        }

        var workers = parse.GetValue(concurrency);
        if (workers is < 1 or > 1024)
        {
            throw new ArgumentException("--concurrency must be between 1 and 1024.");
        }

        var bodyFile = parse.GetValue(body);
        options = new LoadOptions(
            Loopback.Require(parse.GetValue(url)!, "--url"),
            bodyFile is null ? null : await File.ReadAllBytesAsync(bodyFile.FullName, cancel),
            [.. (parse.GetValue(headers) ?? []).Select(ParseHeader)],
            workers,
            parse.GetValue(rate),
            TimeSpan.FromSeconds(seconds),
            TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(warmup))),
            Math.Max(1, parse.GetValue(maxRequests)),
            parse.GetValue(countHeader),
            parse.GetValue(expect),
            [.. (parse.GetValue(churn) ?? []).Select(ChurnCall.Parse)],
            TimeSpan.FromMilliseconds(Math.Max(10, parse.GetValue(churnEvery))),
            parse.GetValue(label)!);
    }
    catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
    {
        await Console.Error.WriteLineAsync($"error: {e.Message}");
        return 2;
    }

    var result = await new LoadRun(options).RunAsync();
    Print(result);
    if (parse.GetValue(jsonOut) is { } file)
    {
        await File.AppendAllTextAsync(file.FullName, JsonSerializer.Serialize(result) + Environment.NewLine, cancel);
    }

    return result.Failures == 0 && result.ChurnFailures == 0 ? 0 : 1;
});

var file = new Argument<FileInfo>("results") { Description = "A file of JSON lines written with --json-out." };
var pair = new Option<string[]>("--pair")
{
    Description = "Two labels run in interleaved pairs, BASELINE CANDIDATE: also print the candidate's paired throughput cost and latency difference.",
    Arity = new ArgumentArity(2, 2),
    AllowMultipleArgumentsPerToken = true,
};
var summarize = new Command("summarize", "Print a markdown table (median and range per label) of the runs in a --json-out file.") { file, pair };
summarize.SetAction(parse =>
{
    var results = parse.GetValue(file)!;
    if (!results.Exists)
    {
        Console.Error.WriteLine($"error: {results.FullName} does not exist.");
        return 2;
    }

    Console.Write(Summary.Markdown(results.FullName));
    if (parse.GetValue(pair) is [var baseline, var candidate])
    {
        Console.WriteLine();
        Console.Write(Summary.Paired(results.FullName, baseline, candidate));
    }

    return 0;
});
root.Subcommands.Add(summarize);

var csvOut = new Option<FileInfo>("--out") { Description = "The CSV file to write.", Required = true };
var megabytes = new Option<int>("--megabytes") { Description = "Its size in MiB.", DefaultValueFactory = _ => 1024 };
var makeCsv = new Command("make-csv", "Write a CSV of synthetic credit applications (the demo model's six features) for batch scoring.") { csvOut, megabytes };
makeCsv.SetAction(parse =>
{
    var size = parse.GetValue(megabytes);
    if (size is < 1 or > 65536)
    {
        Console.Error.WriteLine("error: --megabytes must be between 1 and 65536.");
        return 2;
    }

    var rows = CreditCsv.Write(parse.GetValue(csvOut)!.FullName, size * 1024L * 1024, seed: 1);
    Console.WriteLine($"wrote {rows:N0} rows ({size} MiB) to {parse.GetValue(csvOut)!.FullName}");
    return 0;
});
root.Subcommands.Add(makeCsv);

return await root.Parse(args).InvokeAsync();

static KeyValuePair<string, string> ParseHeader(string text)
{
    var colon = text.IndexOf(':', StringComparison.Ordinal);
    return colon <= 0
        ? throw new ArgumentException($"--header '{text}': write 'Name: value'.")
        : new(text[..colon].Trim(), text[(colon + 1)..].Trim());
}

static void Print(LoadResult r)
{
    var c = CultureInfo.InvariantCulture;
    Console.WriteLine(string.Create(c, $"{r.Label}: {r.Mode}"));
    Console.WriteLine(string.Create(c, $"  requests {r.Requests} in {r.Seconds:0.0} s = {r.RequestsPerSecond:0} req/s, failed {r.Failures}"));
    Console.WriteLine(string.Create(c, $"  latency p50 {r.P50Ms:0.000} ms, p90 {r.P90Ms:0.000} ms, p99 {r.P99Ms:0.000} ms, max {r.MaxMs:0.000} ms"));
    if (r.ChurnCalls > 0)
    {
        Console.WriteLine(string.Create(c, $"  churn calls {r.ChurnCalls}, failed {r.ChurnFailures}"));
    }

    foreach (var (value, count) in r.HeaderCounts.OrderByDescending(p => p.Value))
    {
        Console.WriteLine(string.Create(c, $"  {value}: {count} ({100.0 * count / Math.Max(1, r.Requests):0.0}%)"));
    }

    foreach (var sample in r.FailureSamples)
    {
        Console.WriteLine($"  failure: {sample}");
    }
}

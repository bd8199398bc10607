using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Escala.Core.Routing;
using Escala.Onnx.Building;
using Escala.Onnx.Tensors;
using Escala.Server.Hosting;
using Escala.Server.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Escala.Monitoring.Bench;

/// <summary>
/// What monitoring adds to one gateway request, measured in-process on a real server: the gateway's observers
/// (<c>BeforeRun</c> + <c>AfterAnswer</c>, i.e. the quality check, the drift window, the counters and the latency
/// histogram) called exactly as the executor calls them, with a real snapshot, target, decoded inputs and the model's
/// real outputs, for a 6-feature model registered with a 20,000-row baseline (the demo's shape). The load test's
/// throughput comparison cannot resolve a cost this small on a shared machine; this gives it per request, in CPU
/// nanoseconds and bytes allocated, to set against the gateway's CPU per request.
/// </summary>
internal static class ObserverHarness
{
    private const int Features = 6;

    public static async Task RunAsync(int repeats)
    {
        var folder = Directory.CreateTempSubdirectory("escala-observer-bench-").FullName;
        try
        {
            var app = await EscalaServer.StartAsync(new EscalaServerOptions { DataDirectory = folder, Urls = "http://127.0.0.1:0" },
                builder => builder.Logging.ClearProviders());
            await using (app)
            {
                using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(folder, "bootstrap-admin.key")).Trim());
                await SetUpAsync(http);

                var snapshot = app.Services.GetRequiredService<LiveEndpoints>().TryGet("bench", out var live) ? live : throw new InvalidOperationException("no snapshot");
                var observers = app.Services.GetRequiredService<PredictionExecutor>().Observers.ToArray();
                var target = snapshot.Targets[0];
                var random = new Random(5);
                var inputs = new Dictionary<string, OnnxValue>
                {
                    ["features"] = new OnnxTensor<float>([.. Enumerable.Range(0, Features).Select(_ => (float)Normal(random))], 1, Features),
                };
                var outputs = (await target.Backend.InferAsync(inputs, CancellationToken.None)).Answer!;
                var outcome = new PredictionOutcome(PredictionStatus.Answered, AnswerSource.Routed, target, inputs, outputs, null, AttemptFailure.None, null);
                var context = new PredictionContext("0199", snapshot, "risk", null, DateTimeOffset.UtcNow, Stopwatch.GetTimestamp());
                Console.WriteLine($"Monitoring's observers on one gateway request ({observers.Length} observer(s): {string.Join(", ", observers.Select(o => o.GetType().Name))}); " +
                    $"{Features} features, baseline of 20,000 rows; {Environment.ProcessorCount} cores.");

                foreach (var threads in new[] { 1, Environment.ProcessorCount })
                {
                    const int Requests = 1_000_000;
                    var wall = new List<double>();
                    var cpu = new List<double>();
                    long allocated = 0;
                    for (var run = 0; run < repeats + 1; run++)
                    {
                        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                        var clock = Stopwatch.StartNew();
                        var bytes = new long[threads];
                        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
                        {
                            var before = GC.GetAllocatedBytesForCurrentThread();
                            for (var i = t; i < Requests; i += threads)
                            {
                                foreach (var observer in observers)
                                {
                                    observer.BeforeRun(context, target, inputs);
                                }

                                foreach (var observer in observers)
                                {
                                    observer.AfterAnswer(context, outcome, TimeSpan.FromMicroseconds(900));
                                }
                            }

                            bytes[t] = GC.GetAllocatedBytesForCurrentThread() - before;
                        });
                        clock.Stop();
                        if (run == 0)
                        {
                            continue; // JIT and tiering
                        }

                        wall.Add(clock.Elapsed.TotalNanoseconds / Requests);
                        cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalNanoseconds / Requests);
                        allocated += bytes.Sum();
                    }

                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {threads} thread(s): {Stats(wall)} ns/request wall, {Stats(cpu)} ns/request CPU (whole process), {(double)allocated / (repeats * (double)Requests):F3} B/request"));
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // A 6-feature logistic model with a baseline, an endpoint serving it; as the demo's credit-risk model is served.
    private static async Task SetUpAsync(HttpClient http)
    {
        var random = new Random(1);
        var model = new OnnxModelBuilder("bench")
            .Opset("", 17)
            .Input("features", ElementType.Float, "N", Features)
            .Output("probability", ElementType.Float, "N", 1)
            .Initializer("w", [.. Enumerable.Range(0, Features).Select(_ => (float)(random.NextDouble() - 0.5))], Features, 1)
            .Initializer("b", [0.1f], 1)
            .Node("Gemm", ["features", "w", "b"], ["z"])
            .Node("Sigmoid", ["z"], ["probability"])
            .ToBytes();
        var csv = new StringBuilder("f0,f1,f2,f3,f4,f5\n");
        for (var i = 0; i < 20_000; i++)
        {
            csv.AppendJoin(',', Enumerable.Range(0, Features).Select(_ => Normal(random).ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }

        using var form = new MultipartFormDataContent
        {
            { new StringContent("{}", Encoding.UTF8, "application/json"), "metadata" },
            { new ByteArrayContent(model) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, "file", "bench.onnx" },
            { new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"), "baseline", "baseline.csv" },
        };
        await Ensure(await http.PostAsync("api/v1/models/bench/versions", form));
        await Ensure(await http.PostAsync("api/v1/departments", Json(new { name = "risk", headcount = 10 })));
        await Ensure(await http.PostAsync("api/v1/endpoints", Json(new { name = "bench" })));
        await Ensure(await http.PostAsync("api/v1/endpoints/bench/deploy", Json(new { version = "bench:1" })));
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task Ensure(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static string Stats(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return string.Create(CultureInfo.InvariantCulture, $"{sorted[0]:F0} / {sorted[sorted.Length / 2]:F0}");
    }
}

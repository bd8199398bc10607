using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Escala.Core.Access;
using Escala.Core.Endpoints;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Windows;
using Escala.Core.PredictionLog;
using Escala.Core.Registry;
using Escala.Onnx.Building;
using Escala.Server.Endpoints;
using Escala.Server.Hosting;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Usage: Escala.Dashboard.Bench fill DIR      (once: 10,000 versions, 1,000,000 predictions, 5,000 drift windows)
//        Escala.Dashboard.Bench measure DIR [rounds]   (times every page, p50/p95 per page)
if (args.Length < 2 || args[0] is not ("fill" or "measure"))
{
    Console.Error.WriteLine("usage: Escala.Dashboard.Bench fill|measure DIR [rounds]");
    return 1;
}

var folder = Path.GetFullPath(args[1]);
var app = await EscalaServer.StartAsync(new EscalaServerOptions { DataDirectory = folder, Urls = "http://127.0.0.1:0" }, builder =>
{
    builder.Logging.ClearProviders();
    builder.Logging.SetMinimumLevel(LogLevel.Error);
});
var url = app.Urls.First();
var adminKey = File.ReadAllText(Path.Combine(folder, "bootstrap-admin.key")).Trim();
var admin = app.Services.GetRequiredService<KeyRing>().Authenticate(adminKey, out _)!;
var clock = Stopwatch.StartNew();
try
{
    if (args[0] == "fill")
    {
        await FillAsync(app, admin);
        Console.WriteLine($"filled {folder} in {clock.Elapsed.TotalSeconds:0.0} s");
    }
    else
    {
        await MeasureAsync(url, adminKey, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30);
    }
}
finally
{
    await app.StopAsync();
    await app.DisposeAsync();
}

return 0;

static async Task FillAsync(WebApplication app, Principal admin)
{
    var registry = app.Services.GetRequiredService<ModelRegistry>();
    // 20 models x 500 versions; the bytes differ per model (the artifact store keeps identical bytes once).
    var sw = Stopwatch.StartNew();
    for (var m = 0; m < 20; m++)
    {
        var name = m == 0 ? "credit-risk" : $"model-{m:00}";
        var bytes = new OnnxModelBuilder(name).Opset("", 17)
            .Input("x", Escala.Onnx.Tensors.ElementType.Float, "N", 3).Output("p", Escala.Onnx.Tensors.ElementType.Float, "N", 1)
            .Initializer("w", [0.5f, -0.25f, 0.1f * m], 3, 1).Initializer("b", [0.1f], 1)
            .Node("Gemm", ["x", "w", "b"], ["z"], name: "linear").Node("Sigmoid", ["z"], ["p"], name: "squash").ToBytes();
        for (var v = 1; v <= 500; v++)
        {
            var metrics = System.Text.Json.JsonDocument.Parse($"{{\"auc\": {0.7 + (v % 100 / 1000.0)}, \"log_loss\": {0.4 - (v % 50 / 1000.0)}}}").RootElement;
            await registry.RegisterAsync(admin, new RegistrationRequest(name, Description: $"{name} retrained", Metrics: metrics,
                DataFingerprint: $"sha256:{v:x8}", PipelineRun: $"run-{v}", Parent: v > 1 ? $"{name}:{v - 1}" : null), bytes);
        }
    }

    Console.WriteLine($"10,000 versions in {sw.Elapsed.TotalSeconds:0.0} s");
    sw.Restart();

    var operations = app.Services.GetRequiredService<EndpointOperations>();
    await operations.CreateAsync(admin, new EndpointDraft("credit-risk", null, "Default risk of credit applications", null), CancellationToken.None);
    await operations.DeployAsync(admin, "credit-risk", new Escala.Core.Routing.Deployment(new Escala.Core.Routing.LocalModelTarget("credit-risk", 499), Escala.Core.Routing.Strategy.Single), CancellationToken.None);
    await operations.DeployAsync(admin, "credit-risk", new Escala.Core.Routing.Deployment(new Escala.Core.Routing.LocalModelTarget("credit-risk", 500), Escala.Core.Routing.Strategy.Canary), CancellationToken.None);

    var log = app.Services.GetRequiredService<IPredictionLogStore>();
    var start = DateTimeOffset.UtcNow.AddDays(-1);
    var inputs = Encoding.UTF8.GetBytes("{\"x\":[[0.5,1.5,2.5]]}");
    var outputs = Encoding.UTF8.GetBytes("{\"p\":[[0.37]]}");
    for (var batch = 0; batch < 100; batch++)
    {
        var lines = new PredictionRecord[10_000];
        for (var i = 0; i < lines.Length; i++)
        {
            var n = (batch * lines.Length) + i;
            lines[i] = new PredictionRecord($"{n:x16}", start.AddMilliseconds(n * 80L), "credit-risk", n % 4 == 0 ? "credit-risk:500" : "credit-risk:499",
                n % 3 == 0 ? "risk" : null, null, PredictionKind.Served, "routed", null, inputs, outputs, 900 + (n % 700));
        }

        await log.AppendAsync(lines, CancellationToken.None);
    }

    Console.WriteLine($"1,000,000 predictions in {sw.Elapsed.TotalSeconds:0.0} s");
    sw.Restart();

    var store = app.Services.GetRequiredService<IDriftReportStore>();
    var random = new Random(7);
    var builder = new BaselineBuilder(["income_k", "age", "debt_to_income", "region"]);
    for (var i = 0; i < 2_000; i++)
    {
        builder.Add([FeatureValue.Of(40 + (random.NextDouble() * 40)), FeatureValue.Of(20 + random.Next(50)), FeatureValue.Of(random.NextDouble()), FeatureValue.Of(random.Next(4) switch { 0 => "north", 1 => "south", 2 => "east", _ => "west" })], FeatureValue.Of(random.NextDouble()));
    }

    var baseline = builder.Build();
    var detector = new DriftDetector(baseline);
    for (var w = 0; w < 5_000; w++)
    {
        var window = new WindowAccumulator(baseline);
        var shift = w % 50 / 10.0;
        for (var i = 0; i < 200; i++)
        {
            window.Add([FeatureValue.Of(40 + shift + (random.NextDouble() * 40)), FeatureValue.Of(20 + random.Next(50)), FeatureValue.Of(random.NextDouble()), FeatureValue.Of(random.Next(4) == 0 ? "north" : "west")], FeatureValue.Of(random.NextDouble()));
        }

        var snapshot = window.Close(start.AddMinutes(w * 10), start.AddMinutes((w * 10) + 10));
        await store.AppendAsync("credit-risk", w % 2 == 0 ? "credit-risk:499" : "credit-risk:500", detector.Evaluate(snapshot), snapshot, 5_000, CancellationToken.None);
    }

    Console.WriteLine($"5,000 drift windows in {sw.Elapsed.TotalSeconds:0.0} s");
}

static async Task MeasureAsync(string url, string adminKey, int rounds)
{
    using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
    using var client = new HttpClient(handler) { BaseAddress = new Uri(url) };
    using var signIn = new HttpRequestMessage(HttpMethod.Post, "/sign-in") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = adminKey }) };
    signIn.Headers.Add("Sec-Fetch-Site", "same-origin");
    using var signedIn = await client.SendAsync(signIn);
    if (signedIn.StatusCode != HttpStatusCode.Redirect)
    {
        throw new InvalidOperationException($"sign-in: {(int)signedIn.StatusCode}");
    }
    string[] pages = ["/", "/models", "/models/credit-risk", "/models/credit-risk?version=250", "/endpoints/credit-risk", "/monitoring?endpoint=credit-risk", "/audit", "/audit?subject=model/model-07"];
    Console.WriteLine($"{"page",-36} {"p50 ms",8} {"p95 ms",8} {"max ms",8} {"KiB",6}");
    foreach (var page in pages)
    {
        var times = new List<double>();
        long size = 0;
        var breakdown = "";
        for (var i = 0; i < rounds + 3; i++)
        {
            var sw = Stopwatch.StartNew();
            using var response = await client.GetAsync(page);
            var body = await response.Content.ReadAsByteArrayAsync();
            sw.Stop();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{page}: {(int)response.StatusCode}");
            }

            size = body.Length;
            breakdown = response.Headers.TryGetValues("Server-Timing", out var timing) ? string.Join(", ", timing) : "";
            if (i >= 3)
            {
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{page,-36} {times[times.Count / 2],8:0.0} {times[(int)Math.Ceiling(times.Count * 0.95) - 1],8:0.0} {times[^1],8:0.0} {size / 1024.0,6:0}  {breakdown}"));
    }
}

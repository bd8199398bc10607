using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Escala.Core.Access;
using Escala.Onnx;
using Escala.Onnx.Tensors;
using Escala.Server.Monitoring;
using Escala.Server.Monitoring.Live;
using Escala.Server.Registry;
using Escala.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Tests.Monitoring;

/// <summary>
/// A real server with monitoring on short intervals, a registered logistic model <c>scorer</c> (input <c>x</c>
/// float[N,3], output <c>p</c>) and traffic made in code: features a ~ N(shift, 1), b ~ N(5, 2), c ~ U(0, 1), fed
/// through the same <see cref="PredictionMonitor"/> the gateway calls, with the model's real answers.
/// </summary>
internal sealed class MonitoringWorld : IAsyncDisposable
{
    public const string Endpoint = "scoring";
    public const string Model = "scorer";
    public const string Target = "scorer:1";

    private MonitoringWorld(EscalaTestServer server, byte[] onnx)
    {
        Server = server;
        Onnx = onnx;
        Session = InferenceSession.Load(onnx);
    }

    public EscalaTestServer Server { get; private set; }

    public byte[] Onnx { get; }

    public InferenceSession Session { get; }

    public HttpClient Admin => Server.Admin();

    public PredictionMonitor Monitor => Server.Service<PredictionMonitor>();

    public MonitoringWorker Worker => Server.Service<MonitoringWorker>();

    public static Task<MonitoringWorld> StartAsync(Action<MonitoringOptions>? options = null) => StartAsync(null, options);

    public static async Task<MonitoringWorld> StartAsync(string? folder, Action<MonitoringOptions>? options)
    {
        var server = await EscalaTestServer.StartAsync(folder, configure: builder => builder.Services.Configure<MonitoringOptions>(o =>
        {
            o.TickInterval = TimeSpan.FromMilliseconds(50);
            o.EvaluationInterval = TimeSpan.FromMilliseconds(200);
            o.SampleInterval = TimeSpan.FromMilliseconds(100);
            o.FlushInterval = TimeSpan.FromMilliseconds(500);
            o.DeliveryBackoff = TimeSpan.FromMilliseconds(50);
            o.DeliveryMaxBackoff = TimeSpan.FromMilliseconds(400);
            o.DeliveryTimeout = TimeSpan.FromSeconds(5);
            o.OtlpExportInterval = TimeSpan.FromMilliseconds(300);
            options?.Invoke(o);
        }));
        return new MonitoringWorld(server, TestModels.Logistic(features: 3, seed: 7));
    }

    /// <summary>A reference table of the three features.</summary>
    public static string ReferenceCsv(int rows, double shift = 0, int seed = 1)
    {
        var csv = new StringBuilder("a,b,c\n");
        foreach (var row in Rows(rows, shift, seed))
        {
            csv.Append(CultureInfo.InvariantCulture, $"{row[0]:R},{row[1]:R},{row[2]:R}\n");
        }

        return csv.ToString();
    }

    /// <summary>Rows of the three features.</summary>
    public static IEnumerable<float[]> Rows(int count, double shift, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            yield return [(float)(Normal(random) + shift), (float)(5 + (2 * Normal(random))), (float)random.NextDouble()];
        }
    }

    /// <summary>Registers <c>scorer</c> v1 with a baseline from <paramref name="csv"/> (none when null).</summary>
    public async Task<VersionResponse> RegisterAsync(string? csv = "default", string? key = null)
    {
        var form = Uploads.Form(Onnx, new RegisterVersionMetadata(Metrics: System.Text.Json.JsonSerializer.SerializeToElement(new { accuracy = 0.9, auc = 0.85 })));
        if (csv is not null)
        {
            var part = new StringContent(csv == "default" ? ReferenceCsv(2000) : csv, Encoding.UTF8);
            part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(part, "baseline", "reference.csv");
        }

        var client = key is null ? Admin : Server.Client(key);
        var response = await client.PostAsync($"api/v1/models/{Model}/versions", form, TestContext.Current.CancellationToken);
        return await response.ReadAsync<VersionResponse>();
    }

    /// <summary>PUTs monitoring settings for <see cref="Endpoint"/>.</summary>
    public async Task SetSettingsAsync(object settings)
    {
        var response = await Admin.PutJsonAsync($"api/v1/endpoints/{Endpoint}/monitoring", settings);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, body);
    }

    /// <summary>One request's inputs and the model's real outputs.</summary>
    public (IReadOnlyDictionary<string, OnnxValue> Inputs, IReadOnlyDictionary<string, OnnxValue> Outputs) Request(int rows, double shift, int seed)
    {
        var flat = Rows(rows, shift, seed).SelectMany(r => r).ToArray();
        var inputs = new Dictionary<string, OnnxValue> { ["x"] = new OnnxTensor<float>(flat, rows, 3) };
        return (inputs, Session.Run(inputs));
    }

    /// <summary>The version monitor, loaded now.</summary>
    public Task<VersionMonitor> MonitorAsync(string target = Target) => Monitor.Monitors.GetAsync(Endpoint, target, TestContext.Current.CancellationToken);

    /// <summary>Serves <paramref name="requests"/> requests of <paramref name="rowsPerRequest"/> rows through the monitor, as the gateway does.</summary>
    public int Serve(int requests, int rowsPerRequest = 1, double shift = 0, int seed = 100, string? department = null)
    {
        var refused = 0;
        for (var i = 0; i < requests; i++)
        {
            var (inputs, outputs) = Request(rowsPerRequest, shift, seed + i);
            var verdict = Monitor.Check(Endpoint, Target, inputs);
            if (verdict.Refused)
            {
                refused++;
                Monitor.Record(Endpoint, Target, department, ServingOutcome.QualityRejected, TimeSpan.FromMicroseconds(150));
                continue;
            }

            Monitor.Record(Endpoint, Target, department, ServingOutcome.Answered, TimeSpan.FromMicroseconds(800 + (i % 400)), inputs, outputs);
        }

        return refused;
    }

    public Task<string> CreateKeyAsync(string name, Role role, params string[] departments) => Server.CreateKeyAsync(name, role, departments);

    public async Task RestartAsync() => Server = await Server.RestartAsync();

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

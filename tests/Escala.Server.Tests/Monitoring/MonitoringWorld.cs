using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Escala.Core.Access;
using Escala.Server.Monitoring;
using Escala.Server.Monitoring.Live;
using Escala.Server.Registry;
using Escala.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Tests.Monitoring;

/// <summary>What a batch of requests through the gateway came to.</summary>
/// <param name="Answered">Requests answered (200).</param>
/// <param name="Refused">Requests refused as invalid input (400), e.g. by the data-quality policy.</param>
/// <param name="Failed">Requests nothing could answer (5xx).</param>
/// <param name="Answers">The answers: request id, version and each row's probability <c>p</c>.</param>
internal sealed record Served(int Answered, int Refused, int Failed, IReadOnlyList<(string RequestId, string Version, float[] P)> Answers);

/// <summary>
/// A real server with monitoring on short intervals, the gateway endpoint <c>scoring</c>, a logistic model <c>scorer</c>
/// (input <c>x</c> float[N,3], output <c>p</c>) and traffic made in code — features a ~ N(shift, 1), b ~ N(5, 2),
/// c ~ U(0, 1) — sent through the gateway's records API, as an application would.
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
    }

    public EscalaTestServer Server { get; private set; }

    public byte[] Onnx { get; }

    public HttpClient Admin => Server.Admin();

    public PredictionMonitor Monitor => Server.Service<PredictionMonitor>();

    public MonitoringWorker Worker => Server.Service<MonitoringWorker>();

    public static Task<MonitoringWorld> StartAsync(Action<MonitoringOptions>? options = null) => StartAsync(null, options);

    public static async Task<MonitoringWorld> StartAsync(string? folder, Action<MonitoringOptions>? options, IReadOnlyDictionary<string, string?>? configuration = null)
    {
        var server = await EscalaTestServer.StartAsync(folder, configure: builder =>
        {
            // The prediction log writes its batches at once, so labels can be joined right after the answers.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["PredictionLog:Linger"] = "00:00:00.020" });
            EscalaTestServer.UseRoutingOnlyStageRules(builder);
            EscalaTestServer.AllowLoopbackOutbound(builder);
            if (configuration is not null)
            {
                builder.Configuration.AddInMemoryCollection(configuration);
            }

            builder.Services.Configure<MonitoringOptions>(o =>
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
            });
        });
        var world = new MonitoringWorld(server, TestModels.Logistic(features: 3, seed: 7));
        if (folder is null)
        {
            var created = await world.Admin.PostJsonAsync("api/v1/endpoints", new { name = Endpoint, description = "monitoring tests" });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        return world;
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

    /// <summary>
    /// Registers the next version of <c>scorer</c> with a baseline from <paramref name="csv"/> (none when null) and, for
    /// version 1 unless told otherwise, deploys it to <see cref="Endpoint"/>.
    /// </summary>
    public async Task<VersionResponse> RegisterAsync(string? csv = "default", string? key = null, bool deploy = true, int seed = 7)
    {
        var onnx = seed == 7 ? Onnx : TestModels.Logistic(features: 3, seed: seed);
        var form = Uploads.Form(onnx, new RegisterVersionMetadata(Metrics: JsonSerializer.SerializeToElement(new { accuracy = 0.9, auc = 0.85 })));
        if (csv is not null)
        {
            var part = new StringContent(csv == "default" ? ReferenceCsv(2000) : csv, Encoding.UTF8);
            part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(part, "baseline", "reference.csv");
        }

        var client = key is null ? Admin : Server.Client(key);
        var response = await client.PostAsync($"api/v1/models/{Model}/versions", form, TestContext.Current.CancellationToken);
        var version = await response.ReadAsync<VersionResponse>();
        if (deploy && version.Version == 1)
        {
            await DeployAsync(new { version = Target });
        }

        return version;
    }

    /// <summary>Deploys to <see cref="Endpoint"/> (the gateway's deploy body).</summary>
    public async Task DeployAsync(object body)
    {
        var response = await Admin.PostJsonAsync($"api/v1/endpoints/{Endpoint}/deploy", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// Deploys, for <paramref name="department"/>'s traffic only, an external v2 backend played by <paramref name="sink"/>
    /// that passes its checks and then answers every inference with 500: a remote model server that broke.
    /// </summary>
    public async Task DeployBrokenBackendAsync(HttpSink sink, string department)
    {
        const string Metadata = """{"name":"remote","platform":"test","inputs":[{"name":"x","datatype":"FP32","shape":[-1,3]}],"outputs":[{"name":"p","datatype":"FP32","shape":[-1,1]}]}""";
        sink.Answer("/v2/models/remote", 200, Metadata);
        sink.Answer("/v2/models/remote/ready", 200, """{"ready":true}""");
        sink.Answer("/v2/models/remote/infer", 500, """{"error":"model crashed"}""");
        await Server.CreateDepartmentAsync(department);
        await DeployAsync(new { external = new { name = "remote-scorer", url = sink.Url, model = "remote" }, department });
    }

    /// <summary>PUTs monitoring settings for <see cref="Endpoint"/>.</summary>
    public async Task SetSettingsAsync(object settings)
    {
        var response = await Admin.PutJsonAsync($"api/v1/endpoints/{Endpoint}/monitoring", settings);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, body);
    }

    /// <summary>The version monitor, loaded now (the worker loads it within a tick of a deploy).</summary>
    public Task<VersionMonitor> MonitorAsync(string target = Target) => Monitor.Monitors.GetAsync(Endpoint, target, TestContext.Current.CancellationToken);

    /// <summary>Posts rows to the records API as <paramref name="client"/> (default: the admin), for <paramref name="department"/>.</summary>
    public async Task<HttpResponseMessage> PredictAsync(IReadOnlyList<float[]> rows, string? department = null, HttpClient? client = null, string? pinned = null)
    {
        var body = new StringBuilder("{\"records\":[");
        for (var i = 0; i < rows.Count; i++)
        {
            body.Append(i == 0 ? "" : ",").Append("{\"x\":[")
                .Append(string.Join(',', rows[i].Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append("]}");
        }

        body.Append("]}");
        var path = pinned is null ? $"v1/endpoints/{Endpoint}/predict" : $"v1/endpoints/{Endpoint}/versions/{pinned}/predict";
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToString(), Encoding.UTF8, "application/json") };
        if (department is not null)
        {
            request.Headers.Add("X-Escala-Department", department);
        }

        return await (client ?? Admin).SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="requests"/> requests of <paramref name="rowsPerRequest"/> rows through the gateway (four at a
    /// time; request i draws its rows with seed <paramref name="seed"/> + i) and says how they ended.
    /// </summary>
    public async Task<Served> ServeAsync(int requests, int rowsPerRequest = 1, double shift = 0, int seed = 100, string? department = null)
    {
        var before = Recorded();
        var answers = new ConcurrentBag<(int Index, string RequestId, string Version, float[] P)>();
        int refused = 0, failed = 0;
        await Parallel.ForAsync(0, requests, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = TestContext.Current.CancellationToken }, async (i, ct) =>
        {
            using var response = await PredictAsync([.. Rows(rowsPerRequest, shift, seed + i)], department);
            var text = await response.Content.ReadAsStringAsync(ct);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    using (var json = JsonDocument.Parse(text))
                    {
                        var root = json.RootElement;
                        answers.Add((i, root.GetProperty("requestId").GetString()!, root.GetProperty("version").GetString() ?? "default-answer",
                            [.. root.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("p")[0].GetSingle())]));
                    }

                    break;
                case HttpStatusCode.BadRequest:
                    Interlocked.Increment(ref refused);
                    break;
                case >= HttpStatusCode.InternalServerError:
                    Interlocked.Increment(ref failed);
                    break;
                default:
                    Assert.Fail($"{(int)response.StatusCode}: {text}");
                    break;
            }
        });
        await SettleAsync(before + requests);
        return new Served(answers.Count, refused, failed, [.. answers.OrderBy(a => a.Index).Select(a => (a.RequestId, a.Version, a.P))]);
    }

    /// <summary>Requests of <see cref="Endpoint"/> monitoring has recorded.</summary>
    public long Recorded() => Monitor.Metrics.Of(Endpoint).Sum(s => s.Counters.Read().Requests);

    /// <summary>
    /// Waits until monitoring has recorded <paramref name="requests"/> requests of <see cref="Endpoint"/>: the gateway
    /// records a request after its answer is written, so a caller may hold the answer a moment before it is counted.
    /// </summary>
    public async Task SettleAsync(long requests)
    {
        if (!Server.Service<Microsoft.Extensions.Options.IOptions<MonitoringOptions>>().Value.Enabled)
        {
            return;
        }

        await Eventually.TrueAsync(() => Task.FromResult(Recorded() >= requests), $"monitoring to record {requests} requests (so far {Recorded()})");
    }

    public Task<string> CreateKeyAsync(string name, Role role, params string[] departments) => Server.CreateKeyAsync(name, role, departments);

    public async Task RestartAsync() => Server = await Server.RestartAsync();

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

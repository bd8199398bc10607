using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Escala.Onnx.Building;
using Escala.Onnx.Tensors;
using Escala.Server.Hosting;
using Escala.Server.Security;
using Escala.Server.Serving;
using Escala.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

// Change-propagation latency: two real Escala nodes in this process on one fresh PostgreSQL database. Each sample makes a
// change through node A's HTTP API (a key created; an endpoint deployed to the other version) and measures, from the moment
// A answered (the change is committed), how long until node B applies it: the key authenticates in B's key ring, B's live
// snapshot serves the new generation. B learns of it from NOTIFY and the change log, as any node would.
//
//   dotnet run -c Release --project bench/Escala.Cluster.Bench -- "Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres" [samples]

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Escala.Cluster.Bench \"<PostgreSQL connection string to a database that may CREATE DATABASE>\" [samples per kind, default 200]");
    return 1;
}

var admin = args[0];
var samples = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
var name = $"escala_bench_{Guid.NewGuid():N}";
await using (var connection = new NpgsqlConnection(admin))
{
    await connection.OpenAsync();
    await new NpgsqlCommand($"CREATE DATABASE {name};", connection).ExecuteNonQueryAsync();
}

var store = StoreLocation.Parse($"postgres:{new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString}");
var folders = new[] { Directory.CreateTempSubdirectory("escala-bench-a-").FullName, Directory.CreateTempSubdirectory("escala-bench-b-").FullName };
try
{
    await using var a = await StartAsync(folders[0]);
    await using var b = await StartAsync(folders[1]);
    var key = File.ReadAllText(Path.Combine(folders[0], "bootstrap-admin.key")).Trim();
    using var http = new HttpClient { BaseAddress = new Uri(a.Urls.First()) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

    Console.WriteLine($"Change propagation between two Escala nodes in one process on PostgreSQL {await VersionAsync(admin)}; " +
        $"{Environment.ProcessorCount} logical cores (shared), {samples} samples per kind, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");

    // Keys: created on A, authenticating on B.
    var ring = b.Services.GetRequiredService<KeyRing>();
    var keyLatencies = new List<double>();
    for (var i = 0; i < samples; i++)
    {
        var response = await http.PostAsJsonAsync("api/v1/keys", new { name = $"bench-{i}", role = "viewer" });
        var answered = Stopwatch.GetTimestamp();
        response.EnsureSuccessStatusCode();
        var secret = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("secret").GetString()!;
        keyLatencies.Add(await UntilAsync(() => ring.Authenticate(secret, out _) is not null, answered));
    }

    // Endpoints: deployed on A (alternating two versions), served by B.
    await Ok(await http.PostAsJsonAsync("api/v1/endpoints", new { name = "bench" }));
    foreach (var weight in new[] { 0.5f, 1.5f })
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Logistic(weight));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "model.onnx");
        await Ok(await http.PostAsync("api/v1/models/bench/versions", form));
    }

    var live = b.Services.GetRequiredService<LiveEndpoints>();
    var deployLatencies = new List<double>();
    for (var i = 0; i < samples; i++)
    {
        var version = i % 2 == 0 ? "bench:1" : "bench:2";
        var response = await http.PostAsJsonAsync("api/v1/endpoints/bench/deploy", new { version });
        var answered = Stopwatch.GetTimestamp();
        var generation = (await Ok(response)).GetProperty("endpoint").GetProperty("generation").GetInt64();
        deployLatencies.Add(await UntilAsync(() => live.TryGet("bench", out var s) && s.Endpoint.Generation >= generation, answered));
    }

    Report("key created on A -> authenticates on B", keyLatencies);
    Report("deploy on A -> B serves the new generation", deployLatencies);
    return 0;
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await using var connection = new NpgsqlConnection(admin);
    await connection.OpenAsync();
    await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", connection).ExecuteNonQueryAsync();
    foreach (var folder in folders)
    {
        Directory.Delete(folder, recursive: true);
    }
}

Task<WebApplication> StartAsync(string folder) =>
    EscalaServer.StartAsync(new EscalaServerOptions { DataDirectory = folder, Store = store, Urls = "http://127.0.0.1:0" },
        builder => builder.Logging.ClearProviders());

static async Task<double> UntilAsync(Func<bool> applied, long since)
{
    var deadline = since + (Stopwatch.Frequency * 30);
    while (!applied())
    {
        if (Stopwatch.GetTimestamp() > deadline)
        {
            throw new TimeoutException("A change did not reach node B within 30 s.");
        }

        // Spinning with a yield keeps the measurement's resolution well under a millisecond without sleeping a guess.
        await Task.Yield();
    }

    return Stopwatch.GetElapsedTime(since).TotalMilliseconds;
}

static void Report(string what, List<double> latencies)
{
    latencies.Sort();
    double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {what} | {latencies.Count} | {P(0.5):0.0} | {P(0.9):0.0} | {P(0.99):0.0} | {latencies[^1]:0.0} |"));
}

static async Task<System.Text.Json.JsonElement> Ok(HttpResponseMessage response)
{
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {text}");
    }

    return System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();
}

static async Task<string> VersionAsync(string admin)
{
    await using var connection = new NpgsqlConnection(admin);
    await connection.OpenAsync();
    return connection.PostgreSqlVersion.ToString();
}

// A 3-feature logistic model (sigmoid(features · w)), small enough that loading it is not what is measured.
static byte[] Logistic(float weight) => new OnnxModelBuilder()
    .Input("features", ElementType.Float, "N", 3)
    .Output("score", ElementType.Float, "N", 1)
    .Initializer("w", new[] { weight, weight, weight }, 3, 1)
    .Node("MatMul", ["features", "w"], ["z"])
    .Node("Sigmoid", ["z"], ["score"])
    .ToBytes();

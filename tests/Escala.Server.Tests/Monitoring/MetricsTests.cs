using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Escala.Core.Access;
using Escala.Server.Monitoring.Metrics;
using Escala.Testing;

namespace Escala.Server.Tests.Monitoring;

/// <summary>
/// <c>/metrics</c> is valid Prometheus text: every family declared once with help and type, counters end in
/// <c>_total</c>, histogram buckets are cumulative and end at <c>+Inf</c> = count. With the Debian prometheus package
/// installed, <c>promtool check metrics</c> accepts the real output and a real Prometheus scraping the server sees the
/// request counter move.
/// </summary>
public sealed partial class MetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>.*)\})? (?<value>\S+)$")]
    private static partial Regex SampleLine();

    /// <summary>
    /// A server whose /metrics has every family populated by real traffic through the gateway: answered requests in two
    /// departments, a flagged row, a request whose inputs do not fit, failures of a broken external backend, drift
    /// windows and a firing alert.
    /// </summary>
    private static async Task<(MonitoringWorld World, HttpSink Backend)> BusyWorldAsync()
    {
        var backend = await HttpSink.StartAsync();
        var world = await MonitoringWorld.StartAsync();
        await world.Server.CreateDepartmentAsync("risk");
        await world.RegisterAsync();
        await world.DeployBrokenBackendAsync(backend, "partner");
        await world.SetSettingsAsync(new { window = new { rows = 200 } });
        await world.Admin.PostJsonAsync("api/v1/alerts/rules", new { endpoint = MonitoringWorld.Endpoint, name = "drift", metric = "drift.share", threshold = 0 });
        await world.MonitorAsync();
        await world.ServeAsync(200, shift: 2, seed: 1, department: "risk");
        await world.ServeAsync(50, rowsPerRequest: 2, shift: 0, seed: 500);
        using (var flagged = await world.PredictAsync([[0, 9999, 0.5f]]))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, flagged.StatusCode);
        }

        using (var misfit = await world.Admin.PostJsonAsync($"v1/endpoints/{MonitoringWorld.Endpoint}/predict", new { records = new[] { new { x = new[] { 1f, 2f } } } }))
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, misfit.StatusCode);
        }

        Assert.Equal(1, (await world.ServeAsync(1, department: "partner")).Failed);
        await world.SettleAsync(253);
        await Eventually.TrueAsync(async () => (await world.Admin.GetStringAsync("metrics", Ct)).Contains("escala_alerts_firing{", StringComparison.Ordinal), "the alert");
        await world.Worker.EvaluateNowAsync(Ct);
        return (world, backend);
    }

    [Fact]
    public async Task Exposition_declares_each_family_once_and_histograms_are_cumulative()
    {
        var (world, backend) = await BusyWorldAsync();
        await using var disposeWorld = world;
        await using var disposeBackend = backend;
        using var response = await world.Admin.GetAsync("metrics", Ct);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var text = await response.Content.ReadAsStringAsync(Ct);

        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new HashSet<string>(StringComparer.Ordinal);
        var buckets = new Dictionary<string, List<(double Le, double Count)>>(StringComparer.Ordinal);
        var counts = new Dictionary<string, double>(StringComparer.Ordinal);
        string? current = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                Assert.True(helps.Add(line.Split(' ')[2]), $"HELP twice: {line}");
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.True(types.TryAdd(parts[2], parts[3]), $"TYPE twice: {line}");
                current = parts[2];
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"Not a sample line: {line}");
            var name = match.Groups["name"].Value;
            var family = types[current!] == "histogram" ? Regex.Replace(name, "_(bucket|sum|count)$", "") : name;
            Assert.True(family == current, $"{name} is outside its family's block ({current})");
            if (types[family] == "counter")
            {
                Assert.EndsWith("_total", name, StringComparison.Ordinal);
            }

            var value = match.Groups["value"].Value == "+Inf" ? double.PositiveInfinity : double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            var labels = match.Groups["labels"].Value;
            if (name.EndsWith("_bucket", StringComparison.Ordinal))
            {
                var le = Regex.Match(labels, "le=\"([^\"]+)\"").Groups[1].Value;
                var series = Regex.Replace(labels, ",?le=\"[^\"]+\"", "");
                buckets.TryAdd(series, []);
                buckets[series].Add((le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture), value));
            }
            else if (name.EndsWith("_count", StringComparison.Ordinal) && types[family] == "histogram")
            {
                counts[labels] = value;
            }
        }

        Assert.Equal(helps.Order(StringComparer.Ordinal), types.Keys.Order(StringComparer.Ordinal));
        Assert.NotEmpty(buckets);
        foreach (var (series, points) in buckets)
        {
            Assert.Equal(MetricsExposition.LatencyBounds.Length + 1, points.Count);
            Assert.True(points.Zip(points.Skip(1)).All(p => p.First.Le < p.Second.Le && p.First.Count <= p.Second.Count), $"buckets of {series} are not cumulative");
            Assert.Equal(counts[series], points[^1].Count);
        }

        Assert.Contains("escala_requests_total{endpoint=\"scoring\",version=\"scorer:1\",department=\"risk\"} 200", text, StringComparison.Ordinal);
        Assert.Contains("escala_request_errors_total{endpoint=\"scoring\",version=\"none\",department=\"partner\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("escala_request_rejections_total{endpoint=\"scoring\",version=\"scorer:1\",department=\"\",reason=\"invalid_input\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("escala_slo_availability_ratio{endpoint=\"scoring\",period=\"30d\"}", text, StringComparison.Ordinal);
        Assert.Contains("escala_drift_score{endpoint=\"scoring\",version=\"scorer:1\",feature=\"a\",method=\"kolmogorov_smirnov\",verdict=\"drifted\",prediction=\"false\"}", text, StringComparison.Ordinal);
        // Every one of the 200 requests took under 10 s, and the histogram's count is the request count.
        Assert.Contains("escala_request_duration_seconds_bucket{endpoint=\"scoring\",version=\"scorer:1\",department=\"risk\",le=\"10\"} 200", text, StringComparison.Ordinal);
        Assert.Contains("escala_request_duration_seconds_count{endpoint=\"scoring\",version=\"scorer:1\",department=\"risk\"} 200", text, StringComparison.Ordinal);
        Assert.Contains("escala_quality_rows_flagged_total{endpoint=\"scoring\",version=\"scorer:1\"} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_need_a_key()
    {
        await using var world = await MonitoringWorld.StartAsync();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await world.Server.Client().GetAsync("metrics", Ct)).StatusCode);
        var viewer = await world.CreateKeyAsync("prometheus", Role.Viewer);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await world.Server.Client(viewer).GetAsync("metrics", Ct)).StatusCode);
    }

    [Fact]
    public async Task Promtool_accepts_the_real_exposition()
    {
        var promtool = ExternalTool.Require("promtool", "ESCALA_PROMTOOL");
        var (world, backend) = await BusyWorldAsync();
        await using var disposeWorld = world;
        await using var disposeBackend = backend;
        var text = await world.Admin.GetStringAsync("metrics", Ct);

        var (exit, output) = await ExternalTool.RunAsync(promtool, "check metrics", text, TimeSpan.FromSeconds(60));
        Assert.True(exit == 0 && output.Trim().Length == 0, $"promtool check metrics (exit {exit}):\n{output}");
    }

    [Fact]
    public async Task A_real_Prometheus_scraping_the_server_sees_the_request_counter_move()
    {
        var prometheus = ExternalTool.Require("prometheus", "ESCALA_PROMETHEUS");
        await using var world = await MonitoringWorld.StartAsync();
        var key = await world.CreateKeyAsync("prometheus", Role.Viewer);
        var folder = Directory.CreateTempSubdirectory("escala-prometheus-");
        var port = ExternalTool.FreePort();
        var target = new Uri(world.Server.Url).Authority;
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: escala
                scrape_interval: 1s
                scrape_timeout: 1s
                metrics_path: /metrics
                authorization:
                  type: Bearer
                  credentials: {key}
                static_configs:
                  - targets: ["{target}"]
            """, Ct);
        using var process = Process.Start(new ProcessStartInfo(prometheus,
            $"--config.file={folder.FullName}/prometheus.yml --storage.tsdb.path={folder.FullName}/data --web.listen-address=127.0.0.1:{port} --log.level=warn")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => log.AppendLine(e.Data);
        process.ErrorDataReceived += (_, e) => log.AppendLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var query = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            async Task<double?> RequestsSeen()
            {
                try
                {
                    using var doc = System.Text.Json.JsonDocument.Parse(await query.GetStringAsync(
                        "api/v1/query?query=" + Uri.EscapeDataString("sum(escala_requests_total{endpoint=\"scoring\"})"), Ct));
                    var result = doc.RootElement.GetProperty("data").GetProperty("result");
                    return result.GetArrayLength() == 0 ? null : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            }

            await world.RegisterAsync();
            await world.ServeAsync(7);
            await Eventually.TrueAsync(async () => await RequestsSeen() == 7, $"Prometheus to see 7 requests (log: {log})", TimeSpan.FromSeconds(45));
            await world.ServeAsync(5, seed: 900);
            await Eventually.TrueAsync(async () => await RequestsSeen() == 12, $"Prometheus to see the counter move to 12 (log: {log})", TimeSpan.FromSeconds(45));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            folder.Delete(recursive: true);
        }
    }
}

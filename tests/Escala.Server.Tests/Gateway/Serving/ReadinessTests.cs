using System.Net;
using System.Net.Http.Json;
using Escala.Server.Tests.Gateway.Endpoints;
using Escala.Server.Tests.Monitoring;
using Escala.Testing;

namespace Escala.Server.Tests.Gateway.Serving;

/// <summary>
/// Readiness that tells the truth, through the real server: a deploy re-checks the stored artifact even when the
/// version is already loaded, /v2/health/ready is 503 while an endpoint cannot load a version it routes to, and the
/// endpoint recovers by itself (scheduled retry) once the artifact is good again.
/// </summary>
public sealed class ReadinessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> FastRecovery = new() { ["Gateway:RecoveryInterval"] = "00:00:00.200" };

    [Fact]
    public async Task A_deploy_of_a_loaded_version_whose_artifact_was_damaged_is_refused_and_the_live_session_keeps_serving()
    {
        await using var host = await GatewayHost.StartAsync(settings: FastRecovery);
        await Traffic.TwoVersionsAsync(host);
        await host.CreateEndpointAsync("other");
        RolloutApiTests.CorruptArtifact(host, version: 1);

        using var response = await host.Admin.PostAsJsonAsync("api/v1/endpoints/other/deploy", new { version = "credit:1" }, Ct);
        await response.AssertProblemAsync(Core.Problems.ProblemTypes.ArtifactCorrupt, "The artifact of credit:1 is refused");
        Assert.Empty((await host.GetAsync("api/v1/endpoints/other")).GetProperty("targets").EnumerateArray());
        Assert.Equal("credit:1", (await Traffic.PredictAsync(host.Admin)).GetProperty("version").GetString());
    }

    [Fact]
    public async Task Ready_is_503_while_an_endpoint_cannot_load_its_version_and_turns_ready_by_itself_once_the_artifact_is_repaired()
    {
        var folder = Path.Combine(Path.GetTempPath(), "escala-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = await GatewayHost.StartAsync(settings: FastRecovery, folder: folder))
            {
                await Traffic.TwoVersionsAsync(first);
                Assert.Equal(HttpStatusCode.OK, (await first.Server.Client().GetAsync("v2/health/ready", Ct)).StatusCode);
            }

            var artifact = Directory.EnumerateFiles(Path.Combine(folder, "artifacts", "sha256"), "*", SearchOption.AllDirectories).ToList();
            var original = artifact.ToDictionary(f => f, File.ReadAllBytes);
            foreach (var file in artifact)
            {
                var damaged = (byte[])original[file].Clone();
                damaged[^1] ^= 0xFF;
                File.WriteAllBytes(file, damaged);
            }

            await using var host = await GatewayHost.StartAsync(settings: FastRecovery, folder: folder);
            var anonymous = host.Server.Client();
            using (var ready = await anonymous.GetAsync("v2/health/ready", Ct))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            }

            using (var predict = await host.Admin.PostAsJsonAsync("v1/endpoints/credit/predict", new { records = new[] { new { features = new[] { 1f, 2f, 3f } } } }, Ct))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, predict.StatusCode);
            }

            // Still damaged after several recovery passes: still not ready.
            await Task.Delay(700, Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await anonymous.GetAsync("v2/health/ready", Ct)).StatusCode);

            foreach (var (file, bytes) in original)
            {
                File.WriteAllBytes(file, bytes);
            }

            await Eventually.TrueAsync(async () => (await anonymous.GetAsync("v2/health/ready", Ct)).StatusCode == HttpStatusCode.OK, "readiness after the repair");
            Assert.Equal("credit:1", (await Traffic.PredictAsync(host.Admin)).GetProperty("version").GetString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

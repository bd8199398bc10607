using Escala.Core.Problems;
using Escala.Testing;

namespace Escala.Server.Tests.Registry;

public sealed class ArtifactIntegrityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string ArtifactPath(EscalaTestServer server, string sha) =>
        Path.Combine(server.DataDirectory, "artifacts", "sha256", sha[..2], sha);

    [Fact]
    public async Task Download_CorruptedArtifact_IsRefusedNotServed()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var admin = server.Admin();
        var model = TestModels.Logistic(seed: 3);
        var version = await admin.RegisterOkAsync("credit-risk", model);
        var path = ArtifactPath(server, version.ArtifactSha256);
        var damaged = await File.ReadAllBytesAsync(path, Ct);
        damaged[^5] ^= 0xFF;
        await File.WriteAllBytesAsync(path, damaged, Ct);

        var response = await admin.GetAsync("api/v1/models/credit-risk/versions/1/artifact", Ct);
        var detail = await response.AssertProblemAsync(ProblemTypes.ArtifactCorrupt, "credit-risk:1");
        Assert.Contains(version.ArtifactSha256, detail, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("X-Escala-Sha256"));
    }

    [Fact]
    public async Task Download_MissingArtifact_IsRefused_AndReRegisteringTheSameBytesRepairsIt()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var admin = server.Admin();
        var model = TestModels.Logistic(seed: 4);
        var version = await admin.RegisterOkAsync("credit-risk", model);
        File.Delete(ArtifactPath(server, version.ArtifactSha256));

        await (await admin.GetAsync("api/v1/models/credit-risk/versions/1/artifact", Ct)).AssertProblemAsync(ProblemTypes.ArtifactCorrupt, "missing");

        // Identical bytes are the same artifact: registering them again (as a new version) restores the file for both.
        var again = await admin.RegisterOkAsync("credit-risk", model);
        Assert.Equal(version.ArtifactSha256, again.ArtifactSha256);
        var repaired = await admin.GetAsync("api/v1/models/credit-risk/versions/1/artifact", Ct);
        Assert.Equal(model, await repaired.Content.ReadAsByteArrayAsync(Ct));
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Server.Registry;
using Escala.Testing;

namespace Escala.Server.Tests.Registry;

public sealed class RegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_ThenRead_RoundTripsBytesHashAndMetadata()
    {
        await using var server = await EscalaTestServer.StartAsync();
        await server.CreateDepartmentAsync("risk");
        var alice = server.Client(await server.CreateKeyAsync("alice", Role.Scientist, "risk"));
        var model = TestModels.Logistic(features: 4, seed: 7);
        var metadata = new RegisterVersionMetadata(
            Description: "first cut",
            Metrics: JsonDocument.Parse("""{"auc": 0.81, "log_loss": 0.3}""").RootElement,
            Params: JsonDocument.Parse("""{"C": 1.0, "penalty": "l2"}""").RootElement,
            Tags: new Dictionary<string, string> { ["team"] = "risk" },
            DataFingerprint: "sha256:feedface",
            CodeRevision: "git:abc123",
            PipelineRun: "run-42",
            Card: "# credit-risk v1\n\nFor tests.");

        var response = await alice.RegisterAsync("credit-risk", model, metadata);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/v1/models/credit-risk/versions/1", response.Headers.Location?.OriginalString);
        var created = await response.ReadAsync<VersionResponse>();
        var sha = Convert.ToHexStringLower(SHA256.HashData(model));
        Assert.Equal(sha, created.ArtifactSha256);
        Assert.Equal(model.Length, created.SizeBytes);
        Assert.Equal(Stage.None, created.Stage);

        var viewer = server.Client(await server.CreateKeyAsync("vic", Role.Viewer));
        var shown = await (await viewer.GetAsync("api/v1/models/credit-risk/versions/1", Ct)).ReadAsync<VersionResponse>();
        Assert.Equal(0.81, shown.Metrics["auc"]);
        Assert.Equal("l2", shown.Params["penalty"]);
        Assert.Equal("risk", shown.Tags["team"]);
        Assert.Equal(new LineageResponse("sha256:feedface", "run-42", "git:abc123", null), shown.Lineage);
        Assert.Equal("x", Assert.Single(shown.Signature!.Inputs).Name);
        Assert.Equal(["N", "4"], shown.Signature.Inputs[0].Dims);
        Assert.Equal("float", shown.Signature.Inputs[0].ElementType);
        Assert.Equal("p", Assert.Single(shown.Signature.Outputs).Name);

        var download = await viewer.GetAsync("api/v1/models/credit-risk/versions/latest/artifact", Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(model, await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(sha, Assert.Single(download.Headers.GetValues("X-Escala-Sha256")));

        var card = await (await viewer.GetAsync("api/v1/models/credit-risk/versions/1/card", Ct)).ReadAsync<CardResponse>();
        Assert.False(card.Generated);
        Assert.Equal("# credit-risk v1\n\nFor tests.", card.Markdown);
        var page = await viewer.GetAsync("api/v1/models/credit-risk/versions/1/card/html", Ct);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<h1>credit-risk v1</h1>", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_SecondVersion_IsNumberedAndLinkedToItsParent()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var admin = server.Admin();
        await admin.RegisterOkAsync("churn", TestModels.Logistic(seed: 1));
        var v2 = await admin.RegisterOkAsync("churn", TestModels.Logistic(seed: 2), new RegisterVersionMetadata(Parent: "1", DataFingerprint: "fp-2"));
        Assert.Equal(2, v2.Version);
        Assert.Equal("churn:1", v2.Lineage.Parent);

        var lineage = await (await admin.GetAsync("api/v1/models/churn/versions/1/lineage", Ct)).ReadAsync<LineageView>();
        Assert.Equal([new VersionRef("churn", 2)], lineage.Children);
        var found = await (await admin.GetAsync("api/v1/lineage?dataFingerprint=fp-2", Ct)).ReadAsync<VersionResponse[]>();
        Assert.Equal(2, Assert.Single(found).Version);
        var byParent = await (await admin.GetAsync("api/v1/lineage?parent=churn:1", Ct)).ReadAsync<VersionResponse[]>();
        Assert.Equal(2, Assert.Single(byParent).Version);

        var detail = await (await admin.GetAsync("api/v1/models/churn", Ct)).ReadAsync<ModelDetailResponse>();
        Assert.Equal([1, 2], detail.Versions.Select(v => v.Version));
        var listed = await (await admin.GetAsync("api/v1/models", Ct)).ReadAsync<ModelResponse[]>();
        Assert.Equal((2, 2), (Assert.Single(listed).VersionCount, listed[0].LatestVersion!.Value));
    }

    [Fact]
    public async Task Register_ModelTheEngineCannotRun_IsRefusedNamingNodeOpAndDomain_AndNothingIsStored()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var admin = server.Admin();
        var before = StateSnapshot.Take(server.DataDirectory);
        var response = await admin.RegisterAsync("mystery", TestModels.UsingUnknownOperator());
        var detail = await response.AssertProblemAsync(ProblemTypes.UnsupportedModel);
        Assert.Contains("Frobnicate", detail, StringComparison.Ordinal);
        Assert.Contains("frob_1", detail, StringComparison.Ordinal);
        Assert.Contains("com.example", detail, StringComparison.Ordinal);
        Assert.Equal(before, StateSnapshot.Take(server.DataDirectory));
    }

    [Fact]
    public async Task Aliases_ResolveVersions_AndArchivedVersionsCannotCarryOne()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var admin = server.Admin();
        await admin.RegisterOkAsync("m", TestModels.Logistic(seed: 1));
        await admin.RegisterOkAsync("m", TestModels.Logistic(seed: 2));
        (await admin.PutJsonAsync("api/v1/models/m/aliases/champion", new SetAliasRequest(1))).EnsureSuccessStatusCode();
        var champion = await (await admin.GetAsync("api/v1/models/m/versions/champion", Ct)).ReadAsync<VersionResponse>();
        Assert.Equal(1, champion.Version);
        Assert.Equal(["champion"], champion.Aliases);

        (await admin.PostJsonAsync("api/v1/models/m/versions/2/stage", new StageChangeRequest("archived"))).EnsureSuccessStatusCode();
        await (await admin.PutJsonAsync("api/v1/models/m/aliases/challenger", new SetAliasRequest(2))).AssertProblemAsync(ProblemTypes.Conflict, "archived");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("api/v1/models/m/aliases/champion", Ct)).StatusCode);
        await (await admin.DeleteAsync("api/v1/models/m/aliases/champion", Ct)).AssertProblemAsync(ProblemTypes.NotFound);
    }
}

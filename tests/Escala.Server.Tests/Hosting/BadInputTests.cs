using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Escala.Core.Problems;
using Escala.Server.Departments;
using Escala.Server.Hosting;
using Escala.Server.Registry;
using Escala.Testing;

namespace Escala.Server.Tests.Hosting;

/// <summary>
/// Bad input of every kind gets a 4xx problem with a stable type and a useful detail, and never
/// changes the database or the artifact store (compared row by row and file by file).
/// </summary>
public sealed class BadInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<EscalaTestServer> ServerWithAModelAsync()
    {
        var server = await EscalaTestServer.StartAsync(options: folder => new EscalaServerOptions { DataDirectory = folder, MaxArtifactBytes = 64 * 1024 });
        await server.Admin().RegisterOkAsync("credit-risk", TestModels.Logistic());
        return server;
    }

    private static async Task AssertRefusedAsync(EscalaTestServer server, Func<HttpClient, Task<HttpResponseMessage>> send, ProblemType type, string? detail = null)
    {
        var before = StateSnapshot.Take(server.DataDirectory);
        using var response = await send(server.Admin());
        await response.AssertProblemAsync(type, detail);
        Assert.Equal(before, StateSnapshot.Take(server.DataDirectory));
    }

    public static TheoryData<string, string, string?> Uploads => new()
    {
        // case, expected problem slug, detail fragment
        { "json instead of multipart", "unsupported-media-type", "multipart/form-data" },
        { "no file part", "validation-failed", "no part named 'file'" },
        { "empty file", "invalid-model", "empty" },
        { "random bytes", "invalid-model", "not an ONNX model" },
        { "text file", "invalid-model", "not an ONNX model" },
        { "truncated model", "invalid-model", "not an ONNX model" },
        { "malformed metadata", "validation-failed", "metadata part is not valid JSON" },
        { "non-numeric metric", "validation-failed", "metric 'auc' must be a finite number" },
        { "unknown part", "validation-failed", "Unexpected part 'extra'" },
        { "file part twice", "validation-failed", "appears twice" },
        { "missing parent", "validation-failed", "credit-risk:7 does not exist" },
        { "oversized model", "payload-too-large", null },
    };

    [Theory]
    [MemberData(nameof(Uploads))]
    public async Task Upload_Malformed_IsRefusedAndStoresNothing(string @case, string slug, string? detail)
    {
        await using var server = await ServerWithAModelAsync();
        var model = TestModels.Logistic(seed: 9);
        HttpContent content = @case switch
        {
            "json instead of multipart" => new StringContent("{\"file\":\"AAAA\"}", Encoding.UTF8, "application/json"),
            "no file part" => Testing.Uploads.Form(null, new RegisterVersionMetadata(Description: "x")),
            "empty file" => Testing.Uploads.Form([]),
            "random bytes" => Testing.Uploads.Form(Random(4096)),
            "text file" => Testing.Uploads.Form(Encoding.UTF8.GetBytes("this is not a model\n")),
            "truncated model" => Testing.Uploads.Form(model[..(model.Length / 2)]),
            "malformed metadata" => Testing.Uploads.Form(model, rawMetadata: "{\"metrics\": {\"auc\": 0.8"),
            "non-numeric metric" => Testing.Uploads.Form(model, new RegisterVersionMetadata(Metrics: JsonDocument.Parse("""{"auc":"high"}""").RootElement)),
            "unknown part" => WithExtraPart(Testing.Uploads.Form(model), "extra"),
            "file part twice" => WithExtraPart(Testing.Uploads.Form(model), "file"),
            "missing parent" => Testing.Uploads.Form(model, new RegisterVersionMetadata(Parent: "7")),
            "oversized model" => Testing.Uploads.Form(TestModels.OfSize(200 * 1024)),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };
        var type = ProblemTypes.All.Single(t => t.Slug == slug);
        await AssertRefusedAsync(server, c => c.PostAsync("api/v1/models/credit-risk/versions", content, Ct), type, detail);
    }

    [Theory]
    [InlineData("..%2F..%2Fetc")]
    [InlineData("a%0Ab")]
    [InlineData("bad%20name")]
    [InlineData("-leading")]
    [InlineData("x123456789x123456789x123456789x123456789x123456789x123456789x12345")]
    public async Task Register_BadModelName_IsInvalidName_AndStoresNothing(string name)
    {
        await using var server = await ServerWithAModelAsync();
        await AssertRefusedAsync(server, c => c.PostAsync($"api/v1/models/{name}/versions", Testing.Uploads.Form(TestModels.Logistic(seed: 5)), Ct), ProblemTypes.InvalidName);
    }

    [Fact]
    public async Task Register_NulInTheName_IsRefusedByKestrelBeforeTheApp_AndStoresNothing()
    {
        // Kestrel rejects a decoded NUL in the path itself (400, no body): it never reaches routing or storage.
        await using var server = await ServerWithAModelAsync();
        var before = StateSnapshot.Take(server.DataDirectory);
        using var response = await server.Admin().PostAsync("api/v1/models/a%00b/versions", Testing.Uploads.Form(TestModels.Logistic(seed: 5)), Ct);
        Assert.Equal(400, response.Code());
        Assert.Equal(before, StateSnapshot.Take(server.DataDirectory));
    }

    [Fact]
    public async Task Register_PathTraversalInTheFileName_DoesNotReachTheFileSystem()
    {
        await using var server = await ServerWithAModelAsync();
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(TestModels.Logistic(seed: 6));
        form.Add(file, "file", "../../../../tmp/escala-evil.onnx");
        (await server.Admin().PostAsync("api/v1/models/credit-risk/versions", form, Ct)).EnsureSuccessStatusCode();
        Assert.False(File.Exists("/tmp/escala-evil.onnx"));
        Assert.Equal(2, Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "artifacts", "sha256"), "*", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public async Task UnknownThings_AreNotFound_AndChangeNothing()
    {
        await using var server = await ServerWithAModelAsync();
        await AssertRefusedAsync(server, c => c.GetAsync("api/v1/models/credit-risk/versions/99", Ct), ProblemTypes.NotFound, "no version 99");
        await AssertRefusedAsync(server, c => c.GetAsync("api/v1/models/nope", Ct), ProblemTypes.NotFound, "no model 'nope'");
        await AssertRefusedAsync(server, c => c.GetAsync("api/v1/models/credit-risk/versions/99/artifact", Ct), ProblemTypes.NotFound);
        await AssertRefusedAsync(server, c => c.PostJsonAsync("api/v1/models/credit-risk/versions/99/stage", new StageChangeRequest("staging")), ProblemTypes.NotFound);
        await AssertRefusedAsync(server, c => c.PutJsonAsync("api/v1/models/credit-risk/aliases/champion", new SetAliasRequest(99)), ProblemTypes.NotFound);
        await AssertRefusedAsync(server, c => c.PutJsonAsync("api/v1/models/credit-risk/versions/99/card", new CardRequest("# x")), ProblemTypes.NotFound);
        await AssertRefusedAsync(server, c => c.PostJsonAsync("api/v1/approvals/42/approve", new DecisionRequest()), ProblemTypes.NotFound);
        await AssertRefusedAsync(server, c => c.GetAsync("api/v1/departments/nowhere", Ct), ProblemTypes.NotFound);
        await AssertRefusedAsync(server, c => c.DeleteAsync("api/v1/keys/0123456789abcdef", Ct), ProblemTypes.NotFound);
        await AssertRefusedAsync(server, c => c.GetAsync("api/v1/no-such-route", Ct), ProblemTypes.NotFound, "No route matches GET /api/v1/no-such-route");
        await AssertRefusedAsync(server, c => c.DeleteAsync("api/v1/models", Ct), ProblemTypes.MethodNotAllowed);
    }

    [Fact]
    public async Task BrokenRules_AreConflictsOrValidation_AndChangeNothing()
    {
        await using var server = await ServerWithAModelAsync();
        await AssertRefusedAsync(server, c => c.PostJsonAsync("api/v1/models/credit-risk/versions/1/stage", new StageChangeRequest("production")),
            ProblemTypes.IllegalStageTransition, "cannot move from none to production");
        await AssertRefusedAsync(server, c => c.PostJsonAsync("api/v1/models/credit-risk/versions/1/stage", new StageChangeRequest("live")), ProblemTypes.ValidationFailed);
        await AssertRefusedAsync(server, c => c.PutJsonAsync("api/v1/models/credit-risk/aliases/7", new SetAliasRequest(1)), ProblemTypes.InvalidName);
        await AssertRefusedAsync(server, c => c.PostJsonAsync("api/v1/departments", new CreateDepartmentRequest("risk", Headcount: -3)), ProblemTypes.ValidationFailed);
        await AssertRefusedAsync(server, c => c.PostJsonAsync("api/v1/departments", new CreateDepartmentRequest("../risk")), ProblemTypes.InvalidName);
        await AssertRefusedAsync(server, c => c.PostJsonAsync("api/v1/keys", new Escala.Server.Access.CreateKeyRequest("bob", "root")), ProblemTypes.ValidationFailed, "not a role");
        await AssertRefusedAsync(server, c => c.PostAsync("api/v1/departments", new StringContent("{\"name\": ", Encoding.UTF8, "application/json"), Ct),
            ProblemTypes.ValidationFailed);
        await AssertRefusedAsync(server, c => c.PostAsync("api/v1/departments", new StringContent("{\"name\":\"hr\",\"headcount\":\"many\"}", Encoding.UTF8, "application/json"), Ct),
            ProblemTypes.ValidationFailed);
        await AssertRefusedAsync(server, c => c.PostAsync("api/v1/departments", new StringContent("name=hr", Encoding.UTF8, "application/x-www-form-urlencoded"), Ct),
            ProblemTypes.UnsupportedMediaType);
        await AssertRefusedAsync(server, c => c.GetAsync("api/v1/audit?limit=100000", Ct), ProblemTypes.ValidationFailed);
    }

    [Fact]
    public async Task JsonBody_OverTheGlobalLimit_IsPayloadTooLarge()
    {
        await using var server = await ServerWithAModelAsync();
        var huge = new string('x', 2 * 1024 * 1024);
        await AssertRefusedAsync(server,
            c => c.PutJsonAsync("api/v1/models/credit-risk/versions/1/card", new CardRequest(huge)), ProblemTypes.PayloadTooLarge);
    }

    [Fact]
    public async Task Card_ControlCharacters_AreRefused()
    {
        await using var server = await ServerWithAModelAsync();
        await AssertRefusedAsync(server, c => c.PutJsonAsync("api/v1/models/credit-risk/versions/1/card", new CardRequest("# ok\u0000hidden")), ProblemTypes.ValidationFailed, "U+0000");
    }

    private static byte[] Random(int size)
    {
        var bytes = new byte[size];
        new Random(11).NextBytes(bytes);
        return bytes;
    }

    private static MultipartFormDataContent WithExtraPart(MultipartFormDataContent form, string name)
    {
        var extra = new ByteArrayContent([1, 2, 3]);
        extra.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(extra, name, "extra.bin");
        return form;
    }
}

using Escala.Cli.Tests.Support;
using Escala.Testing;

namespace Escala.Cli.Tests;

/// <summary>Every failure is one clear line on stderr and exit code 1; never a stack trace.</summary>
public sealed class CliErrorTests
{
    private static void AssertFailed(CliResult result, string message)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableServer_SaysWhereItLookedAndWhatToDo()
    {
        var result = await EscalaProcess.RunAsync("http://127.0.0.1:9", "esk_0123456789abcdef_x", "models", "list");
        AssertFailed(result, "Cannot reach the Escala server at http://127.0.0.1:9/");
        Assert.Contains("escala serve", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotAnUrl_IsRefused() =>
        AssertFailed(await EscalaProcess.RunAsync("ftp://example", null, "models", "list"), "is not an http(s) URL");

    [Fact]
    public async Task MissingKey_ShowsTheServersReasonAndWhereTheKeyIs()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var result = await EscalaProcess.RunAsync(server.Url, null, "models", "list");
        AssertFailed(result, "Send an API key");
        Assert.Contains("(401 unauthenticated)", result.Error, StringComparison.Ordinal);
        Assert.Contains("bootstrap-admin.key", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedRequest_ShowsTheProblemDetail()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var file = Path.Combine(server.DataDirectory, "m.onnx");
        await File.WriteAllBytesAsync(file, TestModels.Logistic(), TestContext.Current.CancellationToken);
        var result = await EscalaProcess.RunAsync(server.Url, server.AdminKey, "models", "register", "bad..name", file);
        AssertFailed(result, "The model name 'bad..name' is not valid");
        Assert.Contains("(400 invalid-name)", result.Error, StringComparison.Ordinal);

        var unknown = await EscalaProcess.RunAsync(server.Url, server.AdminKey, "models", "show", "nope");
        AssertFailed(unknown, "There is no model 'nope'");
    }

    [Fact]
    public async Task MissingFile_IsReportedWithoutCallingTheServer()
    {
        var result = await EscalaProcess.RunAsync("http://127.0.0.1:9", "k", "models", "register", "m", "/no/such/model.onnx");
        AssertFailed(result, "/no/such/model.onnx does not exist");
    }

    [Fact]
    public async Task UsageError_ExitsNonZeroAndSaysWhatIsMissing()
    {
        var result = await EscalaProcess.RunAsync(null, null, "models", "register");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Required argument missing", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_OnAFolderWithoutADatabase_IsRefused()
    {
        var folder = Directory.CreateTempSubdirectory("escala-empty-").FullName;
        try
        {
            AssertFailed(await EscalaProcess.RunAsync(null, null, "audit", "verify", "--data", folder), "There is no Escala database");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

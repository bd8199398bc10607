using Escala.Cli.Tests.Support;

namespace Escala.Cli.Tests.Security;

/// <summary>The CLI never prints a secret and never passes control characters to a terminal (issue 8, items 3 and 7).</summary>
public sealed class CliSecretTests
{
    private const string Key = "esk_0123456789abcdef_TOPSECRETvalueThatMustNeverBePrinted";

    [Theory]
    [InlineData("endpoints", "--help")]
    [InlineData("models", "--help")]
    [InlineData("models", "list", "--help")]
    [InlineData("deploy", "--help")]
    [InlineData("keys", "create", "--help")]
    public async Task Help_never_prints_the_api_key_or_a_url_with_credentials_from_the_environment(params string[] args)
    {
        var result = await EscalaProcess.RunAsync("http://admin:hunter2@127.0.0.1:1", Key, args);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--api-key", result.Output + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("TOPSECRET", result.Output + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Control_characters_in_anything_printed_reach_the_terminal_as_visible_escapes()
    {
        var folder = Path.Combine(Path.GetTempPath(), "escala-tests", Guid.NewGuid().ToString("N"));
        var hostile = Path.Combine(folder, "model\u001b]0;pwned\u0007\u001b[2J\u202Etxt.onnx");

        var result = await EscalaProcess.RunAsync(null, null, "onnx", "info", hostile);

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain('\u001b', result.Output + result.Error);
        Assert.DoesNotContain('\u0007', result.Output + result.Error);
        Assert.DoesNotContain('\u202E', result.Output + result.Error);
        Assert.Contains("\\u001B]0;pwned\\u0007", result.Error, StringComparison.Ordinal);
    }
}

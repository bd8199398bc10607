using System.Diagnostics;

namespace Escala.Cli.Tests.Support;

/// <summary>What one run of the `escala` executable did.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <inheritdoc/>
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>Runs the real `escala` executable (built next to the tests) as a separate process, as a user would.</summary>
public static class EscalaProcess
{
    /// <summary>Runs <c>escala <paramref name="args"/></c> with only the given ESCALA_* variables set.</summary>
    public static async Task<CliResult> RunAsync(string? url, string? key, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "escala.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Remove("ESCALA_URL");
        start.Environment.Remove("ESCALA_API_KEY");
        start.Environment.Remove("ESCALA_STORE");
        if (url is not null)
        {
            start.Environment["ESCALA_URL"] = url;
        }

        if (key is not null)
        {
            start.Environment["ESCALA_API_KEY"] = key;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliResult(process.ExitCode, await output, await error);
    }

    /// <summary>Runs like <see cref="RunAsync"/> and fails the test, showing both streams, unless the exit code is 0.</summary>
    public static async Task<CliResult> RunOkAsync(string? url, string? key, params string[] args)
    {
        var result = await RunAsync(url, key, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}

using System.Diagnostics;

namespace Escala.Server.Tests.Monitoring;

/// <summary>Finds and runs real tools the CI installs (Debian's prometheus package brings prometheus and promtool); tests skip without them.</summary>
internal static class ExternalTool
{
    /// <summary>The tool's path from <paramref name="variable"/> or the PATH, or skips the test naming how to enable it.</summary>
    public static string Require(string name, string variable)
    {
        var configured = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(configured))
        {
            // Set (as .ci/run does) means required: a wrong path fails rather than skips.
            Assert.True(File.Exists(configured), $"{variable} is set to {configured}, which does not exist.");
            return configured;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Skip($"{name} is not installed: run `apt-get install -y prometheus` (Debian) or set {variable} to its path; .ci/run does.");
        return "";
    }

    /// <summary>Runs a tool to completion with a bounded time, feeding <paramref name="input"/> to its standard input.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string path, string arguments, string? input, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo(path, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{path} {arguments} did not finish within {timeout}.");
        }

        return (process.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>A TCP port free on 127.0.0.1 right now.</summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

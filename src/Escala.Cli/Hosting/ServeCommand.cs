using System.CommandLine;
using Escala.Cli.Client;
using Escala.Server.Hosting;

namespace Escala.Cli.Hosting;

/// <summary><c>escala serve</c>: runs the server on a data folder until Ctrl+C, then shuts down gracefully.</summary>
public static class ServeCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data")
        {
            Description = "The data folder (database, artifacts, bootstrap key); created when missing.",
            Required = true,
        };
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen, e.g. http://127.0.0.1:5080 (several separated by ';').",
            DefaultValueFactory = _ => ClientOptions.DefaultUrl,
        };
        var maxUpload = new Option<int>("--max-upload-mb")
        {
            Description = "The largest model file accepted, in MiB.",
            DefaultValueFactory = _ => 256,
        };
        var command = new Command("serve", "Run the Escala server on a data folder (Ctrl+C stops it gracefully).") { data, urls, maxUpload };
        return command.Runs(async (cli, ct) =>
        {
            var folder = cli.Get(data)!.FullName;
            var megabytes = cli.Get(maxUpload);
            if (megabytes is < 1 or > 4096)
            {
                throw new CliException("--max-upload-mb must be between 1 and 4096.");
            }

            var options = new EscalaServerOptions { DataDirectory = folder, Urls = cli.Get(urls)!, MaxArtifactBytes = megabytes * 1024L * 1024L };
            Microsoft.AspNetCore.Builder.WebApplication app;
            try
            {
                app = await EscalaServer.StartAsync(options, cancellationToken: ct);
            }
            catch (IOException e) when (e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
            {
                throw new CliException($"Cannot listen on {options.Urls}: {e.Message}. Pick another address with --urls.", e);
            }
            catch (InvalidDataException e)
            {
                throw new CliException($"Cannot open the data folder {folder}: {e.Message}", e);
            }

            await using (app)
            {
                cli.Line($"Escala is listening on {string.Join(", ", app.Urls)} with data in {folder}. Press Ctrl+C to stop.");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C: fall through to a graceful stop, which lets requests in flight finish.
                }

                cli.Line("Stopping: finishing requests in flight...");
                await app.StopAsync(CancellationToken.None);
                cli.Line("Stopped.");
            }
        });
    }
}

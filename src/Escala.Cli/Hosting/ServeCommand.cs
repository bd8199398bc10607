using System.CommandLine;
using Escala.Cli.Client;
using Escala.Server.Hosting;
using Escala.Server.Storage;

namespace Escala.Cli.Hosting;

/// <summary><c>escala serve</c>: runs the server on a data folder (SQLite) or as a node of a PostgreSQL cluster until Ctrl+C, then shuts down gracefully.</summary>
public static class ServeCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data")
        {
            Description = "The data folder (database, artifacts, bootstrap key); created when missing. With a PostgreSQL store it keeps only node-local files.",
        };
        var store = new Option<string>("--store")
        {
            Description = $"Where state lives: sqlite:DIR (the default, DIR = --data) or \"postgres:Host=...;Database=...;Username=...\" for a cluster; default ${StoreLocation.EnvironmentVariable}.",
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
        var command = new Command("serve", "Run the Escala server on a data folder (Ctrl+C stops it gracefully).") { data, store, urls, maxUpload };
        return command.Runs(async (cli, ct) =>
        {
            var (location, folder) = Locate(cli.Get(store) ?? Environment.GetEnvironmentVariable(StoreLocation.EnvironmentVariable), cli.Get(data)?.FullName);
            var megabytes = cli.Get(maxUpload);
            if (megabytes is < 1 or > 4096)
            {
                throw new CliException("--max-upload-mb must be between 1 and 4096.");
            }

            var options = new EscalaServerOptions { DataDirectory = folder, Store = location, Urls = cli.Get(urls)!, MaxArtifactBytes = megabytes * 1024L * 1024L };
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
                throw new CliException($"Cannot open the store {location}: {e.Message}", e);
            }
            catch (Npgsql.NpgsqlException e)
            {
                throw new CliException($"Cannot use the PostgreSQL store {location}: {e.Message}. Check --store (or ${StoreLocation.EnvironmentVariable}) and that the server is reachable.", e);
            }

            await using (app)
            {
                cli.Line($"Escala is listening on {string.Join(", ", app.Urls)} with {location}. Press Ctrl+C to stop.");
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

    // sqlite:DIR is the data folder itself; a PostgreSQL node still needs a folder of its own (--data).
    private static (StoreLocation Location, string Folder) Locate(string? store, string? data)
    {
        StoreLocation location;
        try
        {
            location = store is null
                ? StoreLocation.Sqlite(data ?? throw new CliException("Give --data DIR (or --store sqlite:DIR / postgres:...)."))
                : StoreLocation.Parse(store);
        }
        catch (FormatException e)
        {
            throw new CliException($"--store: {e.Message}", e);
        }

        if (location.Kind == StoreKind.Sqlite)
        {
            var folder = Path.GetFullPath(location.Target);
            if (data is not null && !string.Equals(Path.GetFullPath(data), folder, StringComparison.Ordinal))
            {
                throw new CliException($"--data {data} and --store {location} name different folders; give one of them.");
            }

            return (StoreLocation.Sqlite(folder), folder);
        }

        return (location, data ?? throw new CliException("A PostgreSQL store needs --data DIR too: a folder for this node's own files (bootstrap key, data-protection keys)."));
    }
}

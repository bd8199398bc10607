using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Escala.Core.Access;
using Escala.Server.Access;
using Escala.Server.Departments;
using Escala.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Escala.Testing;

/// <summary>
/// A real Escala server for a test: the app built by <see cref="EscalaServer"/> exactly as `escala serve`
/// builds it, on Kestrel at 127.0.0.1 with a free port, over a fresh temporary data folder. Gives HTTP
/// clients per API key and helpers to create departments and keys. Reusable by every feature's tests:
/// pass <c>configure</c> to add services, <c>map</c> to add test-only routes.
/// </summary>
public sealed class EscalaTestServer : IAsyncDisposable
{
    private readonly ConcurrentBag<HttpClient> _clients = [];
    private readonly bool _ownsFolder;
    private Action<WebApplicationBuilder>? _configure;

    private EscalaTestServer(WebApplication app, EscalaServerOptions options, bool ownsFolder, CollectingLoggerProvider logs)
    {
        App = app;
        Options = options;
        _ownsFolder = ownsFolder;
        Logs = logs;
        Url = app.Urls.First();
        AdminKey = File.Exists(BootstrapKeyPath) ? File.ReadAllText(BootstrapKeyPath).Trim() : "";
    }

    /// <summary>The running app.</summary>
    public WebApplication App { get; }

    /// <summary>The options it runs with.</summary>
    public EscalaServerOptions Options { get; }

    /// <summary>The base URL, e.g. http://127.0.0.1:41234.</summary>
    public string Url { get; }

    /// <summary>The data folder.</summary>
    public string DataDirectory => Options.DataDirectory;

    /// <summary>The database file.</summary>
    public string DatabasePath => Path.Combine(DataDirectory, "escala.db");

    /// <summary>The bootstrap key file.</summary>
    public string BootstrapKeyPath => Path.Combine(DataDirectory, "bootstrap-admin.key");

    /// <summary>The bootstrap admin key (read from the file the server wrote).</summary>
    public string AdminKey { get; }

    /// <summary>Everything the server logged.</summary>
    public CollectingLoggerProvider Logs { get; }

    /// <summary>A service from the app's container.</summary>
    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>Starts a server on <paramref name="folder"/> (default: a new temporary folder, deleted on dispose).</summary>
    public static async Task<EscalaTestServer> StartAsync(
        string? folder = null,
        Func<string, EscalaServerOptions>? options = null,
        Action<WebApplicationBuilder>? configure = null,
        Action<WebApplication>? map = null)
    {
        var ownsFolder = folder is null;
        folder ??= Path.Combine(Path.GetTempPath(), "escala-tests", Guid.NewGuid().ToString("N"));
        var settings = options?.Invoke(folder) ?? new EscalaServerOptions { DataDirectory = folder };
        settings = new EscalaServerOptions
        {
            DataDirectory = settings.DataDirectory,
            Store = settings.Store,
            Urls = "http://127.0.0.1:0",
            MaxRequestBodyBytes = settings.MaxRequestBodyBytes,
            MaxArtifactBytes = settings.MaxArtifactBytes,
            ShutdownTimeout = settings.ShutdownTimeout,
            Time = settings.Time,
        };
        var logs = new CollectingLoggerProvider();
        var builder = EscalaServer.CreateBuilder(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        configure?.Invoke(builder);
        var app = EscalaServer.Build(builder);
        map?.Invoke(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new EscalaTestServer(app, settings, ownsFolder, logs) { _configure = configure };
    }

    /// <summary>
    /// Server-wide stage rules that let versions of any stage but archived take any share of traffic. For tests of
    /// routing, serving and monitoring, which register versions and deploy them without the approval flow; the
    /// default rules (approval before a version serves) are tested by the stage-rule tests.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> RoutingOnlyStageRules = new Dictionary<string, string?>
    {
        ["Gateway:StageRules:None"] = "Full",
        ["Gateway:StageRules:Staging"] = "Full",
    };

    /// <summary>Lets the server call 127.0.0.1 (the tests' external backends and webhook sinks) without an admin listing it.</summary>
    public static void AllowLoopbackOutbound(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Outbound:AllowedHosts:0"] = "127.0.0.1" });
    }

    /// <summary>Adds <see cref="RoutingOnlyStageRules"/> to a server's configuration.</summary>
    public static void UseRoutingOnlyStageRules(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddInMemoryCollection(RoutingOnlyStageRules);
    }

    /// <summary>Stops this server (gracefully) and starts a new one on the same data folder, configured the same way.</summary>
    public async Task<EscalaTestServer> RestartAsync()
    {
        await StopAsync();
        var restarted = await StartAsync(DataDirectory, _ => Options, _configure);
        return restarted;
    }

    /// <summary>An HTTP client calling as <paramref name="key"/> (none: anonymous), disposed with the server.</summary>
    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        _clients.Add(client);
        return client;
    }

    /// <summary>A client as the bootstrap admin.</summary>
    public HttpClient Admin() => Client(AdminKey);

    /// <summary>Creates a key and returns its secret.</summary>
    public async Task<string> CreateKeyAsync(string name, Role role, params string[] departments)
    {
        var response = await Admin().PostAsJsonAsync("api/v1/keys", new CreateKeyRequest(name, role.ToName(), departments), EscalaJson.Options,
            TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CreatedKeyResponse>(EscalaJson.Options, TestContext.Current.CancellationToken))!.Secret;
    }

    /// <summary>Creates a department.</summary>
    public async Task CreateDepartmentAsync(string name, int headcount = 100)
    {
        var response = await Admin().PostAsJsonAsync("api/v1/departments", new CreateDepartmentRequest(name, null, headcount, null), EscalaJson.Options,
            TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Stops the server gracefully (requests in flight finish).</summary>
    public async Task StopAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        try
        {
            await App.StopAsync(CancellationToken.None);
            await App.DisposeAsync();
        }
        catch (ObjectDisposedException)
        {
            // Already stopped by the test.
        }

        if (_ownsFolder)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp folder is not a test failure.
            }
        }
    }
}

/// <summary>Keeps every log line so tests can assert what the server said.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> _entries = new();

    /// <summary>Every entry so far.</summary>
    public IReadOnlyCollection<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries => _entries;

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(LogLevel, string, string, Exception?)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                entries.Enqueue((logLevel, category, formatter(state, exception), exception));
            }
        }
    }
}

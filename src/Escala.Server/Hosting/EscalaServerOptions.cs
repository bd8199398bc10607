using Escala.Server.Storage;

namespace Escala.Server.Hosting;

/// <summary>How one Escala server runs: its data folder, where it listens and its limits.</summary>
public sealed class EscalaServerOptions
{
    /// <summary>The data folder (SQLite database, artifacts, bootstrap key); created when missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// Where shared state lives: null (the default) is SQLite and files in <see cref="DataDirectory"/>;
    /// a PostgreSQL location makes this node one of a cluster (the data folder then keeps only node-local files:
    /// the bootstrap key this node may create and ASP.NET Core's data-protection keys).
    /// </summary>
    public StoreLocation? Store { get; init; }

    /// <summary>The addresses to listen on, separated by ';'. Port 0 picks a free port (tests, the demo).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>The largest request body any route accepts unless it declares more (JSON bodies).</summary>
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>The largest total size of a request's headers (names and values); larger requests get 431 problem details.</summary>
    public int MaxRequestHeaderBytes { get; init; } = 32 * 1024;

    /// <summary>The most headers one request may carry.</summary>
    public int MaxRequestHeaderCount { get; init; } = 100;

    /// <summary>The largest model file a registration accepts.</summary>
    public long MaxArtifactBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>How long a graceful shutdown waits for requests in flight.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock every timestamp comes from; tests pass a controllable one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

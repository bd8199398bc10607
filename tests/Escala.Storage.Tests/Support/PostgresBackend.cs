using Escala.Core.Artifacts;
using Escala.Storage.Postgres;
using Npgsql;

namespace Escala.Storage.Tests.Support;

/// <summary>
/// A fresh PostgreSQL database per test on the server named by <c>ESCALA_TEST_POSTGRES</c> (a connection string
/// to a database the test may create databases from, e.g. <c>Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres</c>;
/// `.ci/run` starts one). Each node is its own pool, as on another machine. Skipped when the variable is unset.
/// </summary>
public sealed class PostgresBackend : StoreBackend
{
    /// <summary>The variable that names the test server.</summary>
    public const string Variable = "ESCALA_TEST_POSTGRES";

    private readonly List<PostgresDatabase> _opened = [];
    private readonly string _admin;

    private PostgresBackend(string admin, string connectionString)
    {
        _admin = admin;
        ConnectionString = connectionString;
    }

    /// <summary>The connection string of this test's database.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates an empty database for one test, or skips the test when no server is configured.</summary>
    public static async Task<PostgresBackend> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            Assert.Skip($"Set {Variable} to a PostgreSQL connection string (e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres) to run the PostgreSQL store tests; .ci/run does.");
        }

        var name = $"escala_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        return new PostgresBackend(admin, new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString);
    }

    /// <summary>Opens (migrating) one more node's database handle.</summary>
    public async Task<PostgresDatabase> OpenDatabaseAsync()
    {
        var database = await PostgresDatabase.OpenAsync(ConnectionString, cancellationToken: TestContext.Current.CancellationToken);
        lock (_opened)
        {
            _opened.Add(database);
        }

        return database;
    }

    public override async Task<StoreSet> OpenNodeAsync(TimeProvider clock)
    {
        var database = await OpenDatabaseAsync();
        return new StoreSet(
            new PostgresDepartmentStore(database), new PostgresApiKeyStore(database), new PostgresModelStore(database), new PostgresPromotionStore(database),
            new PostgresAuditLog(database), new PostgresArtifactStore(database), new PostgresEndpointStore(database), new PostgresPredictionLogStore(database),
            new PostgresBaselineStore(database), new PostgresMonitoringSettingsStore(database), new PostgresAlertStore(database), new PostgresDriftReportStore(database),
            new PostgresRequestCountStore(database), new PostgresFeedbackStore(database), new PostgresModelGrantStore(database),
            new PostgresOutboundHostStore(database), clock);
    }

    /// <summary>Runs a statement on this test's database (tampering, inspection).</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public override Task CorruptArtifactAsync(ArtifactId id) =>
        ScalarAsync($"UPDATE artifact_chunks SET data = set_byte(data, 0, get_byte(data, 0) # 255) WHERE sha256 = '{id.Sha256}' AND chunk = 0;");

    public override Task LoseArtifactAsync(ArtifactId id) =>
        ScalarAsync($"DELETE FROM artifacts WHERE sha256 = '{id.Sha256}';");

    public override async ValueTask DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(ConnectionString).Database} WITH (FORCE);", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

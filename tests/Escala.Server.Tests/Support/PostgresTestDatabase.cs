using Npgsql;

namespace Escala.Testing;

/// <summary>
/// A fresh PostgreSQL database for one test on the server named by <c>ESCALA_TEST_POSTGRES</c> (`.ci/run`
/// starts one); dropped on dispose. Tests that need it skip with a message naming the variable when it is unset.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    /// <summary>The variable that names the test server.</summary>
    public const string Variable = "ESCALA_TEST_POSTGRES";

    private readonly string _admin;

    private PostgresTestDatabase(string admin, string connectionString)
    {
        _admin = admin;
        ConnectionString = connectionString;
    }

    /// <summary>The connection string of this test's database.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates the database, or skips the test when no server is configured.</summary>
    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            Assert.Skip($"Set {Variable} to a PostgreSQL connection string (e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres) to run the cluster tests; .ci/run does.");
        }

        var name = $"escala_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        return new PostgresTestDatabase(admin, new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(ConnectionString).Database} WITH (FORCE);", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

using System.Text;
using Escala.Storage.Sqlite;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>
/// Versioned schema migrations for PostgreSQL: <c>Postgres/Migrations/NNNN_name.sql</c> files embedded in
/// this assembly, applied in id order, each once and in its own transaction, recorded in
/// <c>schema_migrations</c> with a checksum, like SQLite's. Nodes that start together queue on a session
/// advisory lock, so exactly one applies each migration and the others find it done. A database with a
/// migration this build does not know, or an edited one, is refused.
/// </summary>
public sealed class PostgresMigrations(IReadOnlyList<Migration> migrations)
{
    private const string ResourcePrefix = "postgres-migrations/";

    /// <summary>The PostgreSQL migrations embedded in Escala.Storage, in order.</summary>
    public static PostgresMigrations Embedded { get; } = new(LoadEmbedded());

    /// <summary>The migrations, in the order they apply.</summary>
    public IReadOnlyList<Migration> All { get; } = [.. migrations.OrderBy(m => m.Id, StringComparer.Ordinal)];

    /// <summary>Applies every migration not yet applied, under the migration lock; returns the ids it applied.</summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({PostgresLocks.Migrations});", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null,
                "CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, checksum text NOT NULL, applied_at text NOT NULL);", cancellationToken);
            var applied = await AppliedAsync(connection, cancellationToken);
            Check(applied);
            var done = new List<string>();
            foreach (var migration in All.Where(m => !applied.ContainsKey(m.Id)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
                await using (var record = connection.Command(transaction,
                    "INSERT INTO schema_migrations (id, checksum, applied_at) VALUES (@id, @checksum, @at);",
                    ("@id", migration.Id), ("@checksum", migration.Checksum), ("@at", PostgresValues.Timestamp(DateTimeOffset.UtcNow))))
                {
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                done.Add(migration.Id);
            }

            return done;
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({PostgresLocks.Migrations});", CancellationToken.None);
        }
    }

    private void Check(Dictionary<string, string> applied)
    {
        var known = All.ToDictionary(m => m.Id, m => m.Checksum, StringComparer.Ordinal);
        foreach (var (id, checksum) in applied)
        {
            if (!known.TryGetValue(id, out var expected))
            {
                throw new InvalidDataException($"The database has PostgreSQL migration '{id}', which this Escala does not know: it was written by a newer version.");
            }

            if (!string.Equals(expected, checksum, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"PostgreSQL migration '{id}' changed after it was applied to this database; migrations must never be edited, add a new one instead.");
            }
        }
    }

    private static async Task<Dictionary<string, string>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(null, "SELECT id, checksum FROM schema_migrations;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetString(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(PostgresMigrations).Assembly;
        var migrations = new List<Migration>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !name.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"The embedded migration {name} cannot be read.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(new Migration(name[ResourcePrefix.Length..^".sql".Length], reader.ReadToEnd()));
        }

        return migrations;
    }
}

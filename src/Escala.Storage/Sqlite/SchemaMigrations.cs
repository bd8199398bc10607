using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Escala.Storage.Sqlite;

/// <summary>One schema change: an id that sorts into place (<c>0002_gateway</c>) and its SQL.</summary>
public sealed record Migration(string Id, string Sql)
{
    /// <summary>SHA-256 of the SQL, recorded when applied so an edited migration is detected.</summary>
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));
}

/// <summary>
/// Versioned schema migrations. Each migration is a <c>Migrations/NNNN_name.sql</c> file embedded in
/// this assembly; they apply in id order, each exactly once and in its own transaction, recorded in
/// <c>schema_migrations</c> with a checksum. A database that has a migration this build does not
/// know (written by a newer Escala), or whose applied migration text changed, is refused.
/// To change the schema, add a new file; never edit an applied one.
/// </summary>
public sealed class SchemaMigrations(IReadOnlyList<Migration> migrations)
{
    private const string ResourcePrefix = "migrations/";

    /// <summary>The migrations embedded in Escala.Storage, in order.</summary>
    public static SchemaMigrations Embedded { get; } = new(LoadEmbedded());

    /// <summary>The migrations, in the order they apply.</summary>
    public IReadOnlyList<Migration> All { get; } = [.. migrations.OrderBy(m => m.Id, StringComparer.Ordinal)];

    /// <summary>Applies every migration not yet applied; returns the ids it applied.</summary>
    public IReadOnlyList<string> Apply(SqliteConnection connection)
    {
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL);");
        var applied = Applied(connection);
        Check(applied);
        var done = new List<string>();
        foreach (var migration in All)
        {
            if (applied.ContainsKey(migration.Id))
            {
                continue;
            }

            using var transaction = connection.BeginTransaction(deferred: false);
            // Another process may have applied it between our read and our lock.
            if (Applied(connection, transaction).ContainsKey(migration.Id))
            {
                continue;
            }

            Execute(connection, transaction, migration.Sql);
            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (id, checksum, applied_at) VALUES ($id, $checksum, $at);";
                record.Parameters.AddWithValue("$id", migration.Id);
                record.Parameters.AddWithValue("$checksum", migration.Checksum);
                record.Parameters.AddWithValue("$at", SqliteValues.Timestamp(DateTimeOffset.UtcNow));
                record.ExecuteNonQuery();
            }

            transaction.Commit();
            done.Add(migration.Id);
        }

        return done;
    }

    /// <summary>Throws unless every migration is applied unchanged (for opening without migrating).</summary>
    public void RequireApplied(SqliteConnection connection)
    {
        using (var exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations';";
            if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            {
                throw new InvalidDataException($"{connection.DataSource} is not an Escala database (it has no schema_migrations table).");
            }
        }

        var applied = Applied(connection);
        Check(applied);
        var missing = All.Where(m => !applied.ContainsKey(m.Id)).Select(m => m.Id).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException(
                $"{connection.DataSource} was written by an older Escala (migrations {string.Join(", ", missing)} are not applied); start `escala serve` on it once to upgrade it.");
        }
    }

    private void Check(Dictionary<string, string> applied)
    {
        var known = All.ToDictionary(m => m.Id, m => m.Checksum, StringComparer.Ordinal);
        foreach (var (id, checksum) in applied)
        {
            if (!known.TryGetValue(id, out var expected))
            {
                throw new InvalidDataException($"The database has migration '{id}', which this Escala does not know: it was written by a newer version.");
            }

            if (!string.Equals(expected, checksum, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"Migration '{id}' changed after it was applied to this database; migrations must never be edited, add a new one instead.");
            }
        }
    }

    private static Dictionary<string, string> Applied(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, checksum FROM schema_migrations;";
        using var reader = command.ExecuteReader();
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            applied[reader.GetString(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(SchemaMigrations).Assembly;
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

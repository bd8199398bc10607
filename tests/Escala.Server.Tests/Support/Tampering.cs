using Microsoft.Data.Sqlite;

namespace Escala.Testing;

/// <summary>What an attacker with write access to the database file can do, for tests of the audit chain.</summary>
public static class Tampering
{
    /// <summary>Drops the append-only guard triggers and runs <paramref name="sql"/> against the database file.</summary>
    public static void Rewrite(string databasePath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DROP TRIGGER IF EXISTS audit_log_append_only_update; DROP TRIGGER IF EXISTS audit_log_append_only_delete; " + sql;
        command.ExecuteNonQuery();
    }
}

using Escala.Core.Audit;
using Escala.Storage.Audit;
using Microsoft.Data.Sqlite;

namespace Escala.Storage.Sqlite;

/// <summary>
/// One write transaction: commands run on it, and audit entries appended through it commit or roll
/// back together with the change they describe. Handed out by <see cref="SqliteDatabase.WriteAsync{T}"/>.
/// </summary>
public sealed class SqliteWrite(SqliteConnection connection, SqliteTransaction transaction)
{
    /// <summary>The connection the transaction runs on.</summary>
    public SqliteConnection Connection { get; } = connection;

    /// <summary>The open transaction.</summary>
    public SqliteTransaction Transaction { get; } = transaction;

    /// <summary>The last audit record this transaction appended (anchored after the commit), if any.</summary>
    public AuditRecord? LastAudit { get; internal set; }

    /// <summary>A command in this transaction with named parameters (<c>$name</c>).</summary>
    public SqliteCommand Command(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Runs a statement and returns the number of rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a query in this transaction and returns its first column of the first row, or default.</summary>
    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        var value = await command.ExecuteScalarAsync();
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Maps every row of a query in this transaction.</summary>
    public async Task<List<T>> ListAsync<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>Appends an entry to the audit chain inside this transaction and returns the sealed record.</summary>
    public Task<AuditRecord> AppendAuditAsync(AuditEntry entry) => SqliteAuditLog.AppendAsync(this, entry);

    /// <summary>Appends several entries in order.</summary>
    public async Task AppendAuditAsync(IEnumerable<AuditEntry> entries)
    {
        foreach (var entry in entries)
        {
            await SqliteAuditLog.AppendAsync(this, entry);
        }
    }
}

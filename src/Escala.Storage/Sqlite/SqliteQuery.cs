using Microsoft.Data.Sqlite;

namespace Escala.Storage.Sqlite;

/// <summary>Read-side command building: a command on a connection with named parameters (<c>$name</c>).</summary>
public static class SqliteQuery
{
    /// <summary>A command with the given parameters.</summary>
    public static SqliteCommand Command(this SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Maps every row of the query with <paramref name="map"/>.</summary>
    public static async Task<List<T>> ListAsync<T>(
        this SqliteConnection connection, string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>Maps the first row, or returns default when there is none.</summary>
    public static async Task<T?> FirstOrDefaultAsync<T>(
        this SqliteConnection connection, string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? map(reader) : default;
    }
}

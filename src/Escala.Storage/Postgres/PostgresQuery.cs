using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>Command building for PostgreSQL: a command on a connection with named parameters (<c>@name</c>).</summary>
public static class PostgresQuery
{
    /// <summary>A command with the given parameters (null becomes SQL NULL; cast it in the SQL where its type is not implied).</summary>
    public static NpgsqlCommand Command(
        this NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Maps every row of the query with <paramref name="map"/>.</summary>
    public static Task<List<T>> ListAsync<T>(
        this NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> map, params (string Name, object? Value)[] parameters) =>
        connection.ListAsync(null, sql, map, parameters);

    /// <summary>Maps every row of the query, in <paramref name="transaction"/>.</summary>
    public static async Task<List<T>> ListAsync<T>(
        this NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Func<NpgsqlDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(transaction, sql, parameters);
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
        this NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? map(reader) : default;
    }
}

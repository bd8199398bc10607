using System.Globalization;
using System.Text.Json;
using Escala.Core.Audit;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>
/// How values are written to and read from PostgreSQL columns. Timestamps are the same fixed-format UTC
/// text as in SQLite (sortable, exact to 100 ns: <c>timestamptz</c> keeps only microseconds, and the audit
/// chain hashes the 100 ns text), JSON is text (the stored text is what was written, byte for byte).
/// </summary>
public static class PostgresValues
{
    /// <summary>The column text of a timestamp.</summary>
    public static string Timestamp(DateTimeOffset value) => AuditChain.FormatTimestamp(value);

    /// <summary>The column text of an optional timestamp, or DBNull.</summary>
    public static object Timestamp(DateTimeOffset? value) => value is { } v ? Timestamp(v) : DBNull.Value;

    /// <summary>Reads a timestamp column.</summary>
    public static DateTimeOffset ReadTimestamp(this NpgsqlDataReader reader, int ordinal) =>
        DateTimeOffset.ParseExact(reader.GetString(ordinal), AuditChain.TimestampFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Reads an optional timestamp column.</summary>
    public static DateTimeOffset? ReadTimestampOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.ReadTimestamp(ordinal);

    /// <summary>Reads an optional text column.</summary>
    public static string? ReadStringOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>A value or DBNull for a parameter.</summary>
    public static object OrNull(object? value) => value ?? DBNull.Value;

    /// <summary>The column text of a value as JSON.</summary>
    public static string Json<T>(T value) => JsonSerializer.Serialize(value, AuditJson.Options);

    /// <summary>Reads a JSON column.</summary>
    public static T ReadJson<T>(this NpgsqlDataReader reader, int ordinal) =>
        JsonSerializer.Deserialize<T>(reader.GetString(ordinal), AuditJson.Options)
        ?? throw new InvalidDataException($"Column {reader.GetName(ordinal)} holds JSON null.");

    /// <summary>Reads an optional JSON column.</summary>
    public static T? ReadJsonOrNull<T>(this NpgsqlDataReader reader, int ordinal) where T : class =>
        reader.IsDBNull(ordinal) ? null : JsonSerializer.Deserialize<T>(reader.GetString(ordinal), AuditJson.Options);
}

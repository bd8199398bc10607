namespace Escala.Storage.Postgres;

/// <summary>
/// Appends to <c>change_log</c> inside a change's transaction and wakes the listening nodes with
/// <c>NOTIFY escala_changes</c> (delivered on commit, dropped on rollback, folded when repeated).
/// </summary>
public static class PostgresChangeLog
{
    /// <summary>The notification channel nodes LISTEN on.</summary>
    public const string Channel = "escala_changes";

    /// <summary>How many revisions the log keeps; a node further behind than this reloads everything.</summary>
    public const long Retained = 10_000;

    /// <summary>Appends the next revision; the caller holds the control-plane lock (<see cref="PostgresWrite.PublishChangeAsync"/>).</summary>
    internal static async Task<long> AppendAsync(PostgresWrite write, string topic, string key)
    {
        var revision = await write.ScalarAsync<long>(
            "INSERT INTO change_log (revision, topic, key, origin, at) " +
            "SELECT coalesce(max(revision), 0) + 1, @topic, @key, @origin, @at FROM change_log RETURNING revision;",
            ("@topic", topic), ("@key", key), ("@origin", write.Origin), ("@at", PostgresValues.Timestamp(DateTimeOffset.UtcNow)));
        await write.ExecuteAsync("DELETE FROM change_log WHERE revision <= @oldest;", ("@oldest", revision - Retained));
        await write.ExecuteAsync($"SELECT pg_notify('{Channel}', @revision);", ("@revision", revision.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return revision;
    }

}

using System.Runtime.CompilerServices;
using Escala.Core.Audit;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>
/// The audit chain in PostgreSQL's <c>audit_log</c>. An append reads the head and inserts the next record
/// while holding the control-plane advisory lock (<see cref="PostgresWrite.AppendAuditAsync(AuditEntry)"/>),
/// so writers on any number of nodes extend one chain, never fork it.
/// </summary>
public sealed class PostgresAuditLog(PostgresDatabase database) : IAuditLog
{
    private const string Columns = "seq, at, actor, action, subject, before_json, after_json, previous_hash, hash";

    /// <inheritdoc/>
    public Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default) =>
        database.WriteAsync(write => write.AppendAuditAsync(entry), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<AuditRecord>> ListAsync(long afterSequence, int limit, string? subjectPrefix = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<AuditRecord>>(async connection => await connection.ListAsync(
            $"SELECT {Columns} FROM audit_log WHERE seq > @after AND (@prefix::text IS NULL OR left(subject, length(@prefix::text)) = @prefix::text) ORDER BY seq LIMIT @limit;",
            Read, ("@after", afterSequence), ("@limit", limit), ("@prefix", subjectPrefix)),
            cancellationToken);

    /// <inheritdoc/>
    public Task<AuditRecord?> HeadAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<AuditRecord?>(async connection =>
            (await connection.ListAsync($"SELECT {Columns} FROM audit_log ORDER BY seq DESC LIMIT 1;", Read)).FirstOrDefault(), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, AuditRecord>> LatestStatesAsync(string subjectPrefix, IReadOnlyList<string> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);

        // The action patterns (names, or a prefix ending in '*') as LIKE patterns, with LIKE's own wildcards escaped.
        var patterns = actions.Select(a => a.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal).Replace('*', '%')).ToArray();
        return database.ReadAsync<IReadOnlyDictionary<string, AuditRecord>>(async connection =>
        {
            var rows = await connection.ListAsync(
                $"SELECT DISTINCT ON (subject) {Columns} FROM audit_log WHERE left(subject, length(@prefix)) = @prefix " +
                "AND after_json IS NOT NULL AND action LIKE ANY(@patterns) ORDER BY subject, seq DESC;",
                Read, ("@prefix", subjectPrefix), ("@patterns", patterns));
            return rows.ToDictionary(r => r.Subject, StringComparer.Ordinal);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<AuditRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, $"SELECT {Columns} FROM audit_log ORDER BY seq;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Read(reader);
        }
    }

    /// <summary>Seals <paramref name="entry"/> after the current head and inserts it; the caller holds the control-plane lock.</summary>
    internal static async Task<AuditRecord> AppendAsync(PostgresWrite write, AuditEntry entry)
    {
        var last = await write.ListAsync("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1;", r => (Seq: r.GetInt64(0), Hash: r.GetString(1)));
        var (sequence, previous) = last.Count == 0 ? (1L, AuditChain.GenesisHash) : (last[0].Seq + 1, last[0].Hash);
        var record = AuditChain.Seal(sequence, previous, entry);
        await write.ExecuteAsync(
            $"INSERT INTO audit_log ({Columns}) VALUES (@seq, @at, @actor, @action, @subject, @before, @after, @previous, @hash);",
            ("@seq", record.Sequence), ("@at", PostgresValues.Timestamp(record.At)), ("@actor", record.Actor), ("@action", record.Action),
            ("@subject", record.Subject), ("@before", record.Before), ("@after", record.After), ("@previous", record.PreviousHash), ("@hash", record.Hash));
        return record;
    }

    private static AuditRecord Read(NpgsqlDataReader r) => new(
        r.GetInt64(0), ReadAt(r), r.GetString(2), r.GetString(3), r.GetString(4),
        r.ReadStringOrNull(5), r.ReadStringOrNull(6), r.GetString(7), r.GetString(8));

    // A tampered timestamp that no longer parses must surface as a broken record, not as a crash of the verifier.
    private static DateTimeOffset ReadAt(NpgsqlDataReader r) =>
        DateTimeOffset.TryParseExact(r.GetString(1), AuditChain.TimestampFormat, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : DateTimeOffset.MinValue;
}

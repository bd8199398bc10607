using System.Runtime.CompilerServices;
using Escala.Core.Audit;
using Escala.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Escala.Storage.Audit;

/// <summary>
/// The audit chain in the <c>audit_log</c> table. Appends happen inside a write transaction (the
/// database's single writer), so reading the last hash and inserting the next record can never
/// interleave with another append.
/// </summary>
public sealed class SqliteAuditLog(SqliteDatabase database) : IAuditLog
{
    private const string Columns = "seq, at, actor, action, subject, before_json, after_json, previous_hash, hash";

    /// <inheritdoc/>
    public Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default) =>
        database.WriteAsync(write => AppendAsync(write, entry), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<AuditRecord>> ListAsync(long afterSequence, int limit, string? subjectPrefix = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<AuditRecord>>(async connection =>
            subjectPrefix is null
                ? await connection.ListAsync(
                    $"SELECT {Columns} FROM audit_log WHERE seq > $after ORDER BY seq LIMIT $limit;",
                    Read, ("$after", afterSequence), ("$limit", limit))
                : await connection.ListAsync(
                    $"SELECT {Columns} FROM audit_log WHERE seq > $after AND substr(subject, 1, length($prefix)) = $prefix ORDER BY seq LIMIT $limit;",
                    Read, ("$after", afterSequence), ("$limit", limit), ("$prefix", subjectPrefix)),
            cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<AuditRecord>> ListNewestAsync(long? beforeSequence, int limit, AuditFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        // Walks the primary key backwards; LIKE is avoided (its wildcards and case rules) in favour of exact comparisons.
        return database.ReadAsync<IReadOnlyList<AuditRecord>>(async connection => await connection.ListAsync(
            $"SELECT {Columns} FROM audit_log WHERE seq < $before " +
            "AND ($prefix IS NULL OR substr(subject, 1, length($prefix)) = $prefix) " +
            "AND ($actor IS NULL OR instr(lower(actor), lower($actor)) > 0) " +
            "AND ($action IS NULL OR action = $action) ORDER BY seq DESC LIMIT $limit;",
            Read, ("$before", beforeSequence ?? long.MaxValue), ("$limit", limit),
            ("$prefix", NullIfEmpty(filter.SubjectPrefix)), ("$actor", NullIfEmpty(filter.Actor)), ("$action", NullIfEmpty(filter.Action))), cancellationToken);
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    /// <inheritdoc/>
    public async IAsyncEnumerable<AuditRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = database.OpenConnection();
        await using var command = connection.Command($"SELECT {Columns} FROM audit_log ORDER BY seq;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Read(reader);
        }
    }

    /// <inheritdoc/>
    public Task<AuditRecord?> HeadAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<AuditRecord?>(async connection =>
            (await connection.ListAsync($"SELECT {Columns} FROM audit_log ORDER BY seq DESC LIMIT 1;", Read)).FirstOrDefault(), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, AuditRecord>> LatestStatesAsync(string subjectPrefix, IReadOnlyList<string> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        return database.ReadAsync<IReadOnlyDictionary<string, AuditRecord>>(async connection =>
        {
            // json_each keeps the action patterns one parameter; the newest record per subject among those actions.
            var rows = await connection.ListAsync(
                $"SELECT {Columns} FROM audit_log WHERE seq IN (SELECT MAX(seq) FROM audit_log " +
                "WHERE substr(subject, 1, length($prefix)) = $prefix AND after_json IS NOT NULL " +
                "AND EXISTS (SELECT 1 FROM json_each($actions) WHERE audit_log.action GLOB json_each.value) GROUP BY subject);",
                Read, ("$prefix", subjectPrefix), ("$actions", System.Text.Json.JsonSerializer.Serialize(actions)));
            return rows.ToDictionary(r => r.Subject, StringComparer.Ordinal);
        }, cancellationToken);
    }

    /// <summary>Seals <paramref name="entry"/> after the current last record and inserts it in <paramref name="write"/>'s transaction.</summary>
    public static async Task<AuditRecord> AppendAsync(SqliteWrite write, AuditEntry entry)
    {
        var last = await write.ListAsync("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1;", r => (Seq: r.GetInt64(0), Hash: r.GetString(1)));
        var (sequence, previous) = last.Count == 0 ? (1L, AuditChain.GenesisHash) : (last[0].Seq + 1, last[0].Hash);
        var record = AuditChain.Seal(sequence, previous, entry);
        await write.ExecuteAsync(
            $"INSERT INTO audit_log ({Columns}) VALUES ($seq, $at, $actor, $action, $subject, $before, $after, $previous, $hash);",
            ("$seq", record.Sequence), ("$at", SqliteValues.Timestamp(record.At)), ("$actor", record.Actor), ("$action", record.Action),
            ("$subject", record.Subject), ("$before", record.Before), ("$after", record.After), ("$previous", record.PreviousHash), ("$hash", record.Hash));
        write.LastAudit = record;
        return record;
    }

    private static AuditRecord Read(SqliteDataReader r) => new(
        r.GetInt64(0), ReadAt(r), r.GetString(2), r.GetString(3), r.GetString(4),
        r.ReadStringOrNull(5), r.ReadStringOrNull(6), r.GetString(7), r.GetString(8));

    // A tampered timestamp that no longer parses must surface as a broken record, not as a crash of the verifier.
    private static DateTimeOffset ReadAt(SqliteDataReader r) =>
        DateTimeOffset.TryParseExact(r.GetString(1), AuditChain.TimestampFormat, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : DateTimeOffset.MinValue;
}

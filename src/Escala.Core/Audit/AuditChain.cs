using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Escala.Core.Audit;

/// <summary>
/// The hash chain over the audit log. Each record's hash is SHA-256 over its sequence number,
/// timestamp, actor, action, subject, before/after JSON and the previous record's hash, each field
/// length-prefixed so no two different records encode the same way. The first record chains to
/// <see cref="GenesisHash"/>.
/// </summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first record.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>The one timestamp format hashed and stored (UTC, 100 ns precision), so it round-trips exactly.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>The canonical text of a timestamp.</summary>
    public static string FormatTimestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>Seals <paramref name="entry"/> as record <paramref name="sequence"/> after a record whose hash is <paramref name="previousHash"/>.</summary>
    public static AuditRecord Seal(long sequence, string previousHash, AuditEntry entry)
    {
        var at = new DateTimeOffset(entry.At.UtcDateTime, TimeSpan.Zero);
        var hash = ComputeHash(sequence, at, entry.Actor, entry.Action, entry.Subject, entry.Before, entry.After, previousHash);
        return new AuditRecord(sequence, at, entry.Actor, entry.Action, entry.Subject, entry.Before, entry.After, previousHash, hash);
    }

    /// <summary>The hash a record with these fields must carry.</summary>
    public static string ComputeHash(
        long sequence, DateTimeOffset at, string actor, string action, string subject, string? before, string? after, string previousHash)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, sequence);
        hash.AppendData(number);
        AppendField(hash, FormatTimestamp(at));
        AppendField(hash, actor);
        AppendField(hash, action);
        AppendField(hash, subject);
        AppendField(hash, before);
        AppendField(hash, after);
        AppendField(hash, previousHash);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Checks records in order and names the first that breaks the chain.</summary>
    public static Task<AuditVerification> VerifyAsync(IAsyncEnumerable<AuditRecord> records, CancellationToken cancellationToken = default) =>
        VerifyAsync(records, null, cancellationToken);

    /// <summary>
    /// Checks records in order and names the first that breaks the chain; then checks the chain's end against the
    /// <paramref name="anchor"/> written outside the database: records missing from the end, a record at the anchored
    /// position that is not the anchored one (the database was rolled back or rewritten), or an anchor that cannot be trusted.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(IAsyncEnumerable<AuditRecord> records, AuditAnchorState? anchor, CancellationToken cancellationToken = default)
    {
        var verifier = new Verifier { AnchoredSequence = anchor?.Checkpoint?.Sequence ?? 0 };
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            if (verifier.Check(record) is { } broken)
            {
                return broken with { Anchor = anchor?.Checkpoint };
            }
        }

        return CheckAnchor(verifier.Intact(), verifier.HashAtAnchor, anchor);
    }

    private static AuditVerification CheckAnchor(AuditVerification intact, string? hashAtAnchor, AuditAnchorState? anchor)
    {
        if (anchor is null)
        {
            return intact;
        }

        if (anchor.Problem is { } problem)
        {
            return intact with { IsIntact = false, Reason = problem };
        }

        if (anchor.Checkpoint is not { } checkpoint)
        {
            // Nothing anchored (a backend that keeps no anchor): the chain is checked on its own.
            return intact;
        }

        intact = intact with { Anchor = checkpoint };
        if (intact.RecordsChecked < checkpoint.Sequence)
        {
            var first = intact.RecordsChecked + 1;
            return intact with
            {
                IsIntact = false,
                Reason = FormattableString.Invariant($"{(first == checkpoint.Sequence ? FormattableString.Invariant($"record {first} is") : FormattableString.Invariant($"records {first} to {checkpoint.Sequence} are"))} missing from the end of the chain: ") +
                    FormattableString.Invariant($"the signed anchor written after record {checkpoint.Sequence} was committed ({FormatTimestamp(checkpoint.At)}, head {checkpoint.Hash[..16]}) ") +
                    "says the chain went that far; they were deleted, or lost with the write-ahead log, and the changes they describe may be gone too",
            };
        }

        if (!string.Equals(hashAtAnchor, checkpoint.Hash, StringComparison.Ordinal))
        {
            return intact with
            {
                IsIntact = false,
                Reason = FormattableString.Invariant($"record {checkpoint.Sequence} is not the one anchored after its commit (anchored head {checkpoint.Hash[..16]}, found {hashAtAnchor?[..16]}): ") +
                    "the chain from there was rewritten or the database replaced by another copy",
            };
        }

        return intact;
    }

    /// <summary>Checks records in order and names the first that breaks the chain.</summary>
    public static AuditVerification Verify(IEnumerable<AuditRecord> records)
    {
        var verifier = new Verifier();
        foreach (var record in records)
        {
            if (verifier.Check(record) is { } broken)
            {
                return broken;
            }
        }

        return verifier.Intact();
    }

    private static void AppendField(IncrementalHash hash, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            hash.AppendData(length);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }

    private sealed class Verifier
    {
        private long _checked;

        public long AnchoredSequence { get; init; }

        public string? HashAtAnchor { get; private set; }

        private long _expectedSequence = 1;
        private string _previousHash = GenesisHash;

        public AuditVerification? Check(AuditRecord record)
        {
            string? reason = null;
            if (record.Sequence != _expectedSequence)
            {
                reason = record.Sequence > _expectedSequence
                    ? $"records {_expectedSequence} to {record.Sequence - 1} are missing"
                    : $"its sequence number repeats or goes backwards (expected {_expectedSequence})";
            }
            else if (!string.Equals(record.PreviousHash, _previousHash, StringComparison.Ordinal))
            {
                reason = "its previous-hash does not match the hash of the record before it";
            }
            else
            {
                var expected = ComputeHash(record.Sequence, record.At, record.Actor, record.Action, record.Subject, record.Before, record.After, record.PreviousHash);
                if (!string.Equals(expected, record.Hash, StringComparison.Ordinal))
                {
                    reason = "its contents do not match its hash (the record was changed after it was written)";
                }
            }

            if (reason is not null)
            {
                return new AuditVerification(false, _checked, record, reason, _previousHash);
            }

            _checked++;
            if (record.Sequence == AnchoredSequence)
            {
                HashAtAnchor = record.Hash;
            }

            _expectedSequence++;
            _previousHash = record.Hash;
            return null;
        }

        public AuditVerification Intact() => new(true, _checked, null, null, _previousHash);
    }
}

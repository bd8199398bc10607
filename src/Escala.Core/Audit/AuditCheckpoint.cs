using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Escala.Core.Audit;

/// <summary>
/// The head of the audit chain as of one commit, signed: record <see cref="Sequence"/> has hash <see cref="Hash"/>.
/// Written outside the database after every commit that appended records (and exportable), so records cut off the
/// end of the chain, or a database rolled back to an older copy, no longer match it. <see cref="Mac"/> is an
/// HMAC-SHA256 under a key kept outside the database, so whoever can edit the database cannot forge a checkpoint
/// without also holding that key.
/// </summary>
/// <param name="Sequence">The last record's sequence number.</param>
/// <param name="Hash">The last record's hash.</param>
/// <param name="At">When the checkpoint was written.</param>
/// <param name="KeyId">Which anchor key signed it (the first 16 hex characters of the key's SHA-256).</param>
/// <param name="Mac">HMAC-SHA256 (hex) over the other fields.</param>
public sealed record AuditCheckpoint(long Sequence, string Hash, DateTimeOffset At, string KeyId, string Mac)
{
    /// <summary>A checkpoint of record <paramref name="sequence"/> with <paramref name="hash"/>, signed with <paramref name="key"/>.</summary>
    public static AuditCheckpoint Sign(ReadOnlySpan<byte> key, long sequence, string hash, DateTimeOffset at)
    {
        var keyId = KeyIdOf(key);
        return new AuditCheckpoint(sequence, hash, at, keyId, ComputeMac(key, sequence, hash, at, keyId));
    }

    /// <summary>The id a key signs as: the first 16 hex characters of its SHA-256.</summary>
    public static string KeyIdOf(ReadOnlySpan<byte> key) => Convert.ToHexStringLower(SHA256.HashData(key))[..16];

    /// <summary>True when <paramref name="key"/> produced this checkpoint's MAC.</summary>
    public bool IsSignedBy(ReadOnlySpan<byte> key)
    {
        var expected = Encoding.ASCII.GetBytes(ComputeMac(key, Sequence, Hash, At, KeyId));
        var actual = Encoding.ASCII.GetBytes(Mac ?? "");
        return string.Equals(KeyId, KeyIdOf(key), StringComparison.Ordinal) && CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private static string ComputeMac(ReadOnlySpan<byte> key, long sequence, string hash, DateTimeOffset at, string keyId)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"escala-audit-checkpoint/v1\n{sequence}\n{hash}\n{AuditChain.FormatTimestamp(at)}\n{keyId}");
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
    }
}

/// <summary>What the anchor beside the database says: its checkpoint, or why there is none to trust.</summary>
/// <param name="Checkpoint">The last checkpoint written, when it could be read and its signature holds.</param>
/// <param name="Problem">Why the anchor cannot be trusted (missing while records exist, unreadable, signed by another key), else null.</param>
public sealed record AuditAnchorState(AuditCheckpoint? Checkpoint, string? Problem);

/// <summary>
/// Keeps the chain's head outside the database: <see cref="Advance"/> is called after each commit that appended audit
/// records and writes a signed checkpoint durably before returning; it never moves backwards, so a database that lost
/// its tail keeps disagreeing with it until someone looks.
/// </summary>
public interface IAuditAnchor
{
    /// <summary>The anchored checkpoint, checked against the anchor key.</summary>
    AuditAnchorState Read();

    /// <summary>Anchors <paramref name="head"/> as the chain's new head (ignored unless it is past the anchored one).</summary>
    void Advance(AuditRecord head);
}

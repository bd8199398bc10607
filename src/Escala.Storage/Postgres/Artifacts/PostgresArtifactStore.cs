using System.Buffers.Binary;
using System.Security.Cryptography;
using Escala.Core.Artifacts;
using Escala.Core.Problems;
using Escala.Storage.Artifacts;
using Npgsql;
using NpgsqlTypes;

namespace Escala.Storage.Postgres;

/// <summary>
/// The content-addressed artifact store in PostgreSQL, shared by every node: an artifact is its SHA-256
/// (<c>artifacts</c>) and its bytes in chunks of at most <see cref="ChunkBytes"/> (<c>artifact_chunks</c>),
/// written in one transaction so no node ever sees half an artifact. Every load re-hashes the bytes and
/// refuses a mismatch, a missing chunk or a missing artifact with <c>artifact-corrupt</c>, as the file store does.
/// </summary>
public sealed class PostgresArtifactStore(PostgresDatabase database) : IArtifactStore
{
    /// <summary>The largest chunk: big enough for few rows per model, small enough to stay far from bytea's 1 GiB cap and to stream.</summary>
    public const int ChunkBytes = 1024 * 1024;

    /// <inheritdoc/>
    public async Task<ArtifactPut> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var id = ArtifactId.Of(content.Span);
        return await database.WriteConcurrentAsync(async write =>
        {
            // Two nodes storing the same bytes queue on a lock of this artifact only.
            await write.ExecuteAsync("SELECT pg_advisory_xact_lock(@key);", ("@key", LockKey(id)));
            if (await TryLoadAsync(write.Connection, write.Transaction, id, cancellationToken) is { Verified: true })
            {
                return new ArtifactPut(id, content.Length, Created: false);
            }

            // Missing, or present but damaged: identical bytes repair it.
            await write.ExecuteAsync("DELETE FROM artifacts WHERE sha256 = @sha;", ("@sha", id.Sha256));
            var chunks = (content.Length + ChunkBytes - 1) / ChunkBytes;
            await write.ExecuteAsync(
                "INSERT INTO artifacts (sha256, size_bytes, chunk_count, created_at) VALUES (@sha, @size, @chunks, @at);",
                ("@sha", id.Sha256), ("@size", (long)content.Length), ("@chunks", chunks), ("@at", PostgresValues.Timestamp(DateTimeOffset.UtcNow)));
            await using var insert = write.Command("INSERT INTO artifact_chunks (sha256, chunk, data) VALUES (@sha, @chunk, @data);");
            insert.Parameters.AddWithValue("@sha", id.Sha256);
            var chunk = insert.Parameters.Add("@chunk", NpgsqlDbType.Integer);
            var data = insert.Parameters.Add("@data", NpgsqlDbType.Bytea);
            for (var i = 0; i < chunks; i++)
            {
                chunk.Value = i;
                data.Value = content.Slice(i * ChunkBytes, Math.Min(ChunkBytes, content.Length - (i * ChunkBytes)));
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            return new ArtifactPut(id, content.Length, Created: true);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public IArtifactStaging BeginStaging()
    {
        // An upload streams into a file on this node while it is hashed; PutAsync of its content then stores the chunks.
        var folder = Path.Combine(Path.GetTempPath(), "escala-uploads");
        Directory.CreateDirectory(folder);
        return new FileArtifactStaging(folder);
    }

    /// <inheritdoc/>
    public async Task VerifyAsync(ArtifactId id, CancellationToken cancellationToken = default) =>
        _ = await LoadAsync(id, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public bool Exists(ArtifactId id)
    {
        using var connection = database.OpenConnection();
        using var command = connection.Command(null, "SELECT count(*) FROM artifacts WHERE sha256 = @sha;", ("@sha", id.Sha256));
        return (long)command.ExecuteScalar()! > 0;
    }

    /// <inheritdoc/>
    public async Task<byte[]> LoadAsync(ArtifactId id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var loaded = await TryLoadAsync(connection, null, id, cancellationToken) ?? throw ProblemTypes.ArtifactCorrupt.With(
            $"{id} is missing from the artifact store; restore the database from a backup or register the same file again.");
        if (!loaded.Verified)
        {
            throw ProblemTypes.ArtifactCorrupt.With(
                $"the stored bytes of {id} {loaded.Problem}; the database rows were modified or damaged. Restore them from a backup or register the same file again (identical bytes repair it).");
        }

        return loaded.Bytes;
    }

    /// <inheritdoc/>
    public void Delete(ArtifactId id)
    {
        using var connection = database.OpenConnection();
        using var command = connection.Command(null, "DELETE FROM artifacts WHERE sha256 = @sha;", ("@sha", id.Sha256));
        command.ExecuteNonQuery();
    }

    // The first 8 bytes of the hash: artifacts lock independently of each other and of Escala's fixed keys
    // (a collision only makes two puts wait for each other).
    private static long LockKey(ArtifactId id) => BinaryPrimitives.ReadInt64BigEndian(Convert.FromHexString(id.Sha256.AsSpan(0, 16)));

    private static async Task<Loaded?> TryLoadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, ArtifactId id, CancellationToken cancellationToken)
    {
        long size;
        int count;
        await using (var head = connection.Command(transaction, "SELECT size_bytes, chunk_count FROM artifacts WHERE sha256 = @sha;", ("@sha", id.Sha256)))
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            size = reader.GetInt64(0);
            count = reader.GetInt32(1);
        }

        if (size > Array.MaxLength)
        {
            return new Loaded([], false, $"claim a size of {size} bytes, more than one load can hold");
        }

        var bytes = new byte[size];
        var offset = 0L;
        var expected = 0;
        await using (var chunks = connection.Command(transaction, "SELECT chunk, data FROM artifact_chunks WHERE sha256 = @sha ORDER BY chunk;", ("@sha", id.Sha256)))
        await using (var reader = await chunks.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var data = reader.GetFieldValue<byte[]>(1);
                if (reader.GetInt32(0) != expected++ || offset + data.Length > size)
                {
                    return new Loaded([], false, "are out of order or longer than recorded");
                }

                data.CopyTo(bytes, offset);
                offset += data.Length;
            }
        }

        if (expected != count || offset != size)
        {
            return new Loaded([], false, $"are incomplete ({offset} of {size} bytes in {expected} of {count} chunks)");
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return actual == id.Sha256 ? new Loaded(bytes, true, null) : new Loaded([], false, $"now hash to sha256:{actual}");
    }

    private sealed record Loaded(byte[] Bytes, bool Verified, string? Problem);
}

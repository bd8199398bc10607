namespace Escala.Core.Artifacts;

/// <summary>The outcome of storing bytes: their address and whether this call created the stored copy.</summary>
public readonly record struct ArtifactPut(ArtifactId Id, long Size, bool Created);

/// <summary>
/// Content-addressed storage for model files. Writes are atomic (a reader never sees half a file)
/// and every load re-hashes the bytes: a corrupted or missing artifact is refused with an
/// artifact-corrupt problem, never served.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Stores <paramref name="content"/> under its SHA-256; storing the same bytes twice keeps one copy.</summary>
    Task<ArtifactPut> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Starts a streamed upload into a temporary file (see <see cref="IArtifactStaging"/>); store it with <see cref="PutAsync"/> of its content.</summary>
    IArtifactStaging BeginStaging();

    /// <summary>True when an artifact with this id is stored (without verifying it).</summary>
    bool Exists(ArtifactId id);

    /// <summary>The artifact's bytes after checking they still hash to <paramref name="id"/>.</summary>
    Task<byte[]> LoadAsync(ArtifactId id, CancellationToken cancellationToken = default);

    /// <summary>Re-hashes the stored file (streamed, not loaded) and throws artifact-corrupt when it is missing or no longer matches.</summary>
    Task VerifyAsync(ArtifactId id, CancellationToken cancellationToken = default);

    /// <summary>Removes an artifact; used only to undo a put whose registration then failed.</summary>
    void Delete(ArtifactId id);
}

using System.Security.Cryptography;
using Escala.Core.Artifacts;
using Escala.Core.Problems;

namespace Escala.Storage.Artifacts;

/// <summary>
/// The content-addressed artifact store on disk: <c>sha256/ab/abcdef…</c> under the store folder,
/// where the file name is the SHA-256 of the bytes. A put writes a temporary file, flushes it to
/// disk and renames it into place (atomic on one file system), so a crash never leaves half an
/// artifact under a real name. Every load hashes the bytes again and refuses a mismatch.
/// </summary>
public sealed class FileArtifactStore : IArtifactStore
{
    private readonly string _objects;
    private readonly string _temp;

    /// <summary>A store in <paramref name="root"/>; leftovers of interrupted puts are removed.</summary>
    public FileArtifactStore(string root)
    {
        Root = Path.GetFullPath(root);
        _objects = Path.Combine(Root, "sha256");
        _temp = Path.Combine(Root, "tmp");
        Directory.CreateDirectory(_objects);
        Directory.CreateDirectory(_temp);
        foreach (var partial in Directory.EnumerateFiles(_temp, "*.partial"))
        {
            File.Delete(partial);
        }
    }

    /// <summary>The store folder.</summary>
    public string Root { get; }

    /// <summary>Where the artifact with <paramref name="id"/> lives (whether or not it exists).</summary>
    public string PathOf(ArtifactId id) => Path.Combine(_objects, id.Sha256[..2], id.Sha256);

    /// <inheritdoc/>
    public async Task<ArtifactPut> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var id = ArtifactId.Of(content.Span);
        var target = PathOf(id);
        if (File.Exists(target) && await HashFileAsync(target, cancellationToken) == id.Sha256)
        {
            return new ArtifactPut(id, content.Length, Created: false);
        }

        // Missing, or present but damaged: identical bytes repair it.
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = Path.Combine(_temp, $"{id.Sha256}.{Guid.NewGuid():N}.partial");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await file.WriteAsync(content, cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        return new ArtifactPut(id, content.Length, Created: true);
    }

    /// <inheritdoc/>
    public IArtifactStaging BeginStaging() => new FileArtifactStaging(_temp);

    /// <inheritdoc/>
    public bool Exists(ArtifactId id) => File.Exists(PathOf(id));

    /// <inheritdoc/>
    public async Task<byte[]> LoadAsync(ArtifactId id, CancellationToken cancellationToken = default)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(PathOf(id), cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw ProblemTypes.ArtifactCorrupt.With(
                $"{id} is missing from the artifact store; restore the data folder from a backup or register the same file again.", e);
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (actual != id.Sha256)
        {
            throw ProblemTypes.ArtifactCorrupt.With(
                $"the stored bytes of {id} now hash to sha256:{actual}; the file was modified or damaged on disk. Restore it from a backup or register the same file again (identical bytes repair it).");
        }

        return bytes;
    }

    /// <inheritdoc/>
    public async Task VerifyAsync(ArtifactId id, CancellationToken cancellationToken = default)
    {
        string actual;
        try
        {
            actual = await HashFileAsync(PathOf(id), cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw ProblemTypes.ArtifactCorrupt.With(
                $"{id} is missing from the artifact store; restore the data folder from a backup or register the same file again.", e);
        }

        if (actual != id.Sha256)
        {
            throw ProblemTypes.ArtifactCorrupt.With(
                $"the stored bytes of {id} now hash to sha256:{actual}; the file was modified or damaged on disk. Restore it from a backup or register the same file again (identical bytes repair it).");
        }
    }

    /// <inheritdoc/>
    public void Delete(ArtifactId id) => File.Delete(PathOf(id));

    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }
}

namespace Escala.Core.Artifacts;

/// <summary>
/// An upload on its way into the artifact store: appended bytes go to a temporary file and into a running SHA-256 as
/// they arrive, so an upload of any size costs a fixed buffer of memory, and a caller can refuse it the moment it
/// passes a limit. After <see cref="Complete"/>, <see cref="Content"/> reads the file without copying it to the heap.
/// Disposing removes the temporary file.
/// </summary>
public interface IArtifactStaging : IDisposable
{
    /// <summary>Bytes appended so far.</summary>
    long Length { get; }

    /// <summary>Appends <paramref name="chunk"/>.</summary>
    ValueTask AppendAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken = default);

    /// <summary>Ends the upload: flushes the file and returns the SHA-256 of everything appended.</summary>
    ArtifactId Complete();

    /// <summary>The staged bytes (mapped from the file, valid until disposed); only after <see cref="Complete"/>.</summary>
    ReadOnlyMemory<byte> Content { get; }
}

using System.Buffers;
using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using Escala.Core.Artifacts;

namespace Escala.Storage.Artifacts;

/// <summary>
/// A streamed upload in the store's <c>tmp/</c> folder (<c>*.partial</c>, removed on dispose and cleared on start):
/// each chunk is hashed and written as it arrives; once complete the file is memory-mapped read-only, so inspecting
/// a 200 MB model reads pages of the file instead of 200 MB of managed heap.
/// </summary>
internal sealed class FileArtifactStaging : IArtifactStaging
{
    private readonly string _path;
    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private MemoryMappedFile? _map;
    private MappedMemory? _mapped;
    private ArtifactId? _id;

    public FileArtifactStaging(string folder)
    {
        _path = Path.Combine(folder, $"upload.{Guid.NewGuid():N}.partial");
        _file = new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 81920, FileOptions.Asynchronous);
    }

    public long Length { get; private set; }

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_id is not null, this);
        _hash.AppendData(chunk.Span);
        await _file.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
        Length += chunk.Length;
    }

    public ArtifactId Complete()
    {
        if (_id is { } done)
        {
            return done;
        }

        _file.Flush(flushToDisk: false);
        _id = ArtifactId.Parse(Convert.ToHexStringLower(_hash.GetHashAndReset()));
        if (Length > 0)
        {
            if (Length > int.MaxValue)
            {
                throw new InvalidOperationException("Staged artifacts are limited to 2 GiB.");
            }

            _map = MemoryMappedFile.CreateFromFile(_file, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
            _mapped = new MappedMemory(_map.CreateViewAccessor(0, Length, MemoryMappedFileAccess.Read), (int)Length);
        }

        return _id.Value;
    }

    public ReadOnlyMemory<byte> Content => _id is null
        ? throw new InvalidOperationException("Complete the staging before reading its content.")
        : _mapped?.Memory ?? ReadOnlyMemory<byte>.Empty;

    public void Dispose()
    {
        ((IDisposable?)_mapped)?.Dispose();
        _map?.Dispose();
        _file.Dispose();
        _hash.Dispose();
        File.Delete(_path);
    }

    // The mapped view as Memory<byte>, so callers written for spans read the file without a copy.
    private sealed unsafe class MappedMemory(MemoryMappedViewAccessor view, int length) : MemoryManager<byte>
    {
        private byte* _pointer = Acquire(view);

        public override Span<byte> GetSpan() => new(_pointer + view.PointerOffset, length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + view.PointerOffset + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
            if (_pointer is not null)
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
                _pointer = null;
            }

            view.Dispose();
        }

        private static byte* Acquire(MemoryMappedViewAccessor view)
        {
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return pointer;
        }
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using Escala.Core.Audit;

namespace Escala.Storage.Audit;

/// <summary>
/// The audit chain's anchor beside the database: <c>audit-head.json</c>, a signed <see cref="AuditCheckpoint"/> rewritten
/// (temporary file, fsync, rename) after every commit that appended records, and the HMAC key that signs it
/// (<c>audit-anchor.key</c>, 0600, 32 random bytes, created on first use; its path can point outside the data folder).
/// The anchor only moves forward: a database that lost records keeps disagreeing with it.
/// </summary>
public sealed class FileAuditAnchor : IAuditAnchor
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly Lock _lock = new();
    private readonly byte[] _key;
    private readonly bool _keyIsNew;
    private readonly bool _missingAtStart;
    private AuditCheckpoint? _current;

    /// <summary>The anchor at <paramref name="path"/> signed with the key in <paramref name="keyPath"/> (created when missing).</summary>
    public FileAuditAnchor(string path, string keyPath, TimeProvider time)
    {
        Path = path;
        KeyPath = keyPath;
        Time = time;
        (_key, _keyIsNew) = LoadOrCreateKey(keyPath);
        _current = TryRead(out _);

        // A key without its anchor means the anchor was deleted: keep saying so rather than start a new one.
        _missingAtStart = !_keyIsNew && !File.Exists(path);
    }

    /// <summary>The anchor file.</summary>
    public string Path { get; }

    /// <summary>The key file.</summary>
    public string KeyPath { get; }

    private TimeProvider Time { get; }

    /// <summary>Opens the anchor of an existing data folder without creating anything (offline verification); null when it has no key.</summary>
    public static FileAuditAnchor? OpenExisting(string path, string keyPath) =>
        File.Exists(keyPath) ? new FileAuditAnchor(path, keyPath, TimeProvider.System) : null;
    /// <inheritdoc/>
    public AuditAnchorState Read()
    {
        if (_missingAtStart || (!_keyIsNew && !File.Exists(Path)))
        {
            return new AuditAnchorState(null,
                $"the anchor {Path} is missing while its key {KeyPath} exists: it was deleted, so records cut off the end cannot be ruled out " +
                "(after investigating, delete the key too and restart to anchor the chain's current head)");
        }

        var checkpoint = TryRead(out var problem);
        if (problem is not null)
        {
            return new AuditAnchorState(null, problem);
        }

        return checkpoint is null
            ? new AuditAnchorState(null, null)
            : checkpoint.IsSignedBy(_key)
                ? new AuditAnchorState(checkpoint, null)
                : new AuditAnchorState(null, $"the anchor {Path} is not signed by this server's anchor key ({KeyPath}): it was edited or replaced");
    }

    /// <inheritdoc/>
    public void Advance(AuditRecord head)
    {
        ArgumentNullException.ThrowIfNull(head);
        lock (_lock)
        {
            if (_missingAtStart || (_current is not null && head.Sequence <= _current.Sequence))
            {
                return;
            }

            var checkpoint = AuditCheckpoint.Sign(_key, head.Sequence, head.Hash, Time.GetUtcNow());
            var temp = Path + ".tmp";
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(file, checkpoint, Json);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, Path, overwrite: true);
            _current = checkpoint;
        }
    }

    /// <summary>Whether an anchor file exists.</summary>
    public bool Exists => File.Exists(Path);

    private AuditCheckpoint? TryRead(out string? problem)
    {
        problem = null;
        if (!File.Exists(Path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<AuditCheckpoint>(File.ReadAllBytes(Path), Json)
                ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            problem = $"the anchor {Path} cannot be read ({e.Message}): it was damaged or edited";
            return null;
        }
    }

    private static (byte[] Key, bool Created) LoadOrCreateKey(string keyPath)
    {
        if (File.Exists(keyPath))
        {
            return (File.ReadAllBytes(keyPath), false);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(keyPath))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(keyPath, options))
        {
            file.Write(key);
            file.Flush(flushToDisk: true);
        }

        return (key, true);
    }
}

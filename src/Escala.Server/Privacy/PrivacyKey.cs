using System.Security.Cryptography;
using Escala.Server.Hosting;

namespace Escala.Server.Privacy;

/// <summary>
/// The HMAC key of personal-data hashing: 32 random bytes in <c>DIR/privacy-hmac.key</c> (mode 0600), made on first
/// use. Kept beside the database, not in it, so a copy of the database alone cannot confirm a guessed value; every
/// node of a cluster must share the file for hashes (and joins) to agree.
/// </summary>
public sealed class PrivacyKey(EscalaServerOptions options)
{
    private readonly Lazy<byte[]> _key = new(() => LoadOrCreate(Path.Combine(options.DataDirectory, "privacy-hmac.key")));

    /// <summary>The key.</summary>
    public byte[] Bytes => _key.Value;

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllBytes(path);
            return existing.Length >= 32 ? existing : throw new InvalidOperationException($"{path} holds {existing.Length} bytes; a privacy key has 32.");
        }

        var key = RandomNumberGenerator.GetBytes(32);
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(path, file);
            stream.Write(key);
            stream.Flush(flushToDisk: true);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made it first: use theirs.
            return File.ReadAllBytes(path);
        }
    }
}

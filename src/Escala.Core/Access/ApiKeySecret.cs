using System.Security.Cryptography;
using System.Text;

namespace Escala.Core.Access;

/// <summary>
/// The format of an API key as the caller holds it: <c>esk_{id}_{secret}</c>, where the id (16 hex
/// characters) finds the stored record and the secret carries 256 random bits. Only the SHA-256 of
/// the whole string is stored; a fast hash is enough because the input is random, not a password.
/// </summary>
public static class ApiKeySecret
{
    private const string Prefix = "esk_";
    private const int IdBytes = 8;
    private const int SecretBytes = 32;

    /// <summary>A new key: its id, the plaintext to show once, and the hash to store.</summary>
    public static (string Id, string Plaintext, string Hash) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));
        var plaintext = $"{Prefix}{id}_{secret}";
        return (id, plaintext, Hash(plaintext));
    }

    /// <summary>The key id inside a presented plaintext, or null when it is not in the key format.</summary>
    public static string? IdOf(string? plaintext)
    {
        if (plaintext is null || !plaintext.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var idEnd = plaintext.IndexOf('_', Prefix.Length);
        if (idEnd != Prefix.Length + (IdBytes * 2) || idEnd == plaintext.Length - 1)
        {
            return null;
        }

        var id = plaintext[Prefix.Length..idEnd];
        foreach (var c in id)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return null;
            }
        }

        return id;
    }

    /// <summary>The stored form of a plaintext key (lower-case hex SHA-256).</summary>
    public static string Hash(string plaintext) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plaintext)));

    /// <summary>True when <paramref name="plaintext"/> hashes to <paramref name="storedHash"/>, compared in constant time.</summary>
    public static bool Matches(string plaintext, string storedHash)
    {
        var presented = Encoding.ASCII.GetBytes(Hash(plaintext));
        var stored = Encoding.ASCII.GetBytes(storedHash);
        return CryptographicOperations.FixedTimeEquals(presented, stored);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

using System.Security.Cryptography;
using Escala.Core.Problems;

namespace Escala.Core.Artifacts;

/// <summary>
/// The address of an artifact: the lower-case hex SHA-256 of its bytes. Only these 64 characters
/// ever become a file name, so no caller input reaches a path.
/// </summary>
public readonly record struct ArtifactId
{
    private ArtifactId(string sha256) => Sha256 = sha256;

    /// <summary>The lower-case hex SHA-256.</summary>
    public string Sha256 { get; }

    /// <summary>The address of <paramref name="content"/>.</summary>
    public static ArtifactId Of(ReadOnlySpan<byte> content) => new(Convert.ToHexStringLower(SHA256.HashData(content)));

    /// <summary>Parses a stored or presented hash; throws a validation problem when it is not 64 hex characters.</summary>
    public static ArtifactId Parse(string? sha256) => TryParse(sha256, out var id)
        ? id
        : throw ProblemTypes.ValidationFailed.With("An artifact id is 64 lower-case hex characters (a SHA-256).");

    /// <summary>Parses a hash; false when it is not 64 hex characters.</summary>
    public static bool TryParse(string? sha256, out ArtifactId id)
    {
        id = default;
        if (sha256 is not { Length: 64 })
        {
            return false;
        }

        foreach (var c in sha256)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        id = new ArtifactId(sha256.ToLowerInvariant());
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => $"sha256:{Sha256}";
}

using System.Security.Cryptography;
using System.Text;
using Escala.Core.Adoption;
using Escala.Core.Naming;
using Escala.Core.Problems;
using Microsoft.Extensions.Hosting;

namespace Escala.Server.Organisation;

/// <summary>
/// Turns an end user's id into a pseudonym: HMAC-SHA256 keyed with a secret of this installation, hex-encoded.
/// The same user gets the same pseudonym on every node (the secret is shared), so distinct users can be counted;
/// without the secret nobody can test a guessed id against the stored values. The id is never stored or logged.
/// </summary>
public sealed class UserPseudonyms(IInstallationSecrets secrets) : IHostedService
{
    /// <summary>The name of the secret in the installation's secrets.</summary>
    public const string SecretName = "user-pseudonyms";

    /// <summary>The longest user id accepted.</summary>
    public const int MaxLength = 256;

    private byte[]? _key;

    /// <summary>The pseudonym of <paramref name="user"/>, or null when there is none; throws validation-failed for an id that is too long or has control characters.</summary>
    public string? Of(string? user)
    {
        if (string.IsNullOrEmpty(user))
        {
            return null;
        }

        if (user.Length > MaxLength || user.Any(char.IsControl))
        {
            throw ProblemTypes.ValidationFailed.With(
                $"The user id (X-Escala-User or the parameter 'user') must be 1-{MaxLength} characters without control characters; got '{ResourceName.Printable(user)}'.");
        }

        var key = _key ?? throw new InvalidOperationException("The pseudonym key is loaded when the server starts.");
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(user), mac);
        return Convert.ToHexStringLower(mac);
    }

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken) =>
        _key = await secrets.GetOrCreateAsync(SecretName, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

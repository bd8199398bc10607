using System.Security.Cryptography;
using Escala.Core.Adoption;

namespace Escala.Storage.Postgres;

/// <summary>
/// (PostgreSQL) Installation secrets in <c>installation_secrets</c>: in the shared database so every gateway node derives the
/// same pseudonyms. Made on first use; the first writer wins, so racing nodes agree.
/// </summary>
public sealed class PostgresInstallationSecrets(PostgresDatabase database, TimeProvider time) : IInstallationSecrets
{
    /// <inheritdoc/>
    public async Task<byte[]> GetOrCreateAsync(string name, CancellationToken cancellationToken = default)
    {
        var stored = await database.WriteAsync(async write =>
        {
            await write.ExecuteAsync(
                "INSERT INTO installation_secrets (name, secret, created_at) VALUES (@name, @secret, @at) ON CONFLICT (name) DO NOTHING;",
                ("@name", name), ("@secret", Convert.ToHexString(RandomNumberGenerator.GetBytes(32))), ("@at", PostgresValues.Timestamp(time.GetUtcNow())));
            return await write.ScalarAsync<string>("SELECT secret FROM installation_secrets WHERE name = @name;", ("@name", name));
        }, cancellationToken);
        return Convert.FromHexString(stored!);
    }
}

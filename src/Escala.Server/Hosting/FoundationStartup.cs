using Escala.Core.Access;
using Escala.Server.Security;
using Escala.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Hosting;

/// <summary>
/// Runs before the server accepts requests: opens the database (applying migrations), creates the
/// bootstrap admin key on the first start and writes it to <c>DIR/bootstrap-admin.key</c> with mode
/// 0600, verifies the audit chain against its anchor and the security state against the audit log (logging a
/// critical error when they disagree), then loads the active keys into the key ring.
/// </summary>
public sealed partial class FoundationStartup(DataFolder folder, ApiKeyIssuer issuer, KeyRing ring, KnownDepartments departments, Audit.AuditVerifier audit, ILogger<FoundationStartup> logger) : IHostedService
{
    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var issued = await issuer.BootstrapAsync(cancellationToken);
        if (issued is not null)
        {
            WriteOwnerOnly(folder.BootstrapKeyPath, issued.Plaintext + "\n");
            LogBootstrap(logger, folder.BootstrapKeyPath);
        }

        // The chain, its anchor and the security state are checked before the first request: a database that lost its
        // tail or was edited directly is reported now, loudly (edited keys are also kept out of the key ring).
        var verification = await audit.VerifyAsync(cancellationToken);
        if (!verification.IsIntact)
        {
            LogAuditBroken(logger, verification.Describe());
        }

        await ring.ReloadAsync(cancellationToken);
        await departments.ReloadAsync(cancellationToken);
        LogReady(logger, folder.Root, ring.ActiveCount);
    }

    [LoggerMessage(EventId = 13, Level = LogLevel.Critical, Message = "Audit check at startup failed: {Description}")]
    private static partial void LogAuditBroken(ILogger logger, string description);

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Writes <paramref name="text"/> to a new file only its owner can read (0600 from the moment it exists).</summary>
    public static void WriteOwnerOnly(string path, string text)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.Write(text);
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning,
        Message = "First start: an admin API key was created and written to {Path} (readable only by you). Use it with: export ESCALA_API_KEY=$(cat {Path})")]
    private static partial void LogBootstrap(ILogger logger, string path);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Data folder {Root} ready; {Keys} active API keys")]
    private static partial void LogReady(ILogger logger, string root, int keys);
}

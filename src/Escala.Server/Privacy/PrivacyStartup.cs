using Microsoft.Extensions.Hosting;

namespace Escala.Server.Privacy;

/// <summary>Loads the privacy policies before the server takes requests, so the first logged line is already masked.</summary>
public sealed class PrivacyStartup(LogPrivacy privacy) : IHostedService
{
    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => privacy.ReloadAsync(cancellationToken);

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

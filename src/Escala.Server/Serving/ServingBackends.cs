using System.Collections.Concurrent;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Core.Routing;
using Escala.Onnx;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escala.Server.Serving;

/// <summary>
/// Loads, warms and caches one backend per target: a registered version is loaded once (artifact
/// verified against its SHA-256, compiled, run once on synthetic inputs) and shared by every
/// endpoint and snapshot that routes to it. Loads happen on the control plane, before a snapshot
/// that needs them is swapped in; the request path only ever reads finished backends.
/// </summary>
/// <remarks>
/// The engine's <see cref="OnnxSessionOptions"/> come from the container when one is registered
/// (a host can add operators, tests add slow and failing ones), else the defaults.
/// </remarks>
public sealed partial class ServingBackends(
    ModelRegistry registry,
    ExternalBackends external,
    IOptions<GatewayOptions> options,
    ILogger<ServingBackends> logger,
    OnnxSessionOptions? sessionOptions = null)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<IServingBackend>>> _loaded = new(StringComparer.Ordinal);

    /// <summary>How many backends are loaded.</summary>
    public int Count => _loaded.Count;

    /// <summary>
    /// The backend for <paramref name="target"/>, loading and warming it on first use. Throws a
    /// version-unavailable problem (or not-found, artifact-corrupt) saying why it cannot be served;
    /// a failed load is not cached, so a later deploy tries again.
    /// </summary>
    public async Task<IServingBackend> GetAsync(ServingTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var key = CacheKey(target);
        var lazy = _loaded.GetOrAdd(key, _ => new Lazy<Task<IServingBackend>>(() => LoadAsync(target)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _loaded.TryRemove(new KeyValuePair<string, Lazy<Task<IServingBackend>>>(key, lazy));
            throw;
        }
    }

    /// <summary>The backend for <paramref name="target"/>, or an unavailable stand-in naming the reason (never throws).</summary>
    public async Task<IServingBackend> GetOrUnavailableAsync(ServingTarget target, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync(target, cancellationToken).ConfigureAwait(false);
        }
        catch (ProblemException e)
        {
            LogUnavailable(logger, target.Key, e.Detail);
            return new UnavailableBackend(e.Detail);
        }
    }

    /// <summary>Forgets every backend not in <paramref name="inUse"/> (requests still running keep theirs alive).</summary>
    public void Retain(IEnumerable<ServingTarget> inUse)
    {
        var keep = inUse.Select(CacheKey).ToHashSet(StringComparer.Ordinal);
        foreach (var key in _loaded.Keys)
        {
            if (!keep.Contains(key))
            {
                _loaded.TryRemove(key, out _);
            }
        }
    }

    private static string CacheKey(ServingTarget target) => target switch
    {
        LocalModelTarget local => $"local|{local.Model}|{local.Version}",
        ExternalTarget remote => $"external|{remote.BaseUrl}|{remote.RemoteModel}|{remote.RemoteVersion}",
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };

    private Task<IServingBackend> LoadAsync(ServingTarget target) => target switch
    {
        LocalModelTarget local => LoadLocalAsync(local),
        ExternalTarget remote => external.ConnectAsync(remote, CancellationToken.None),
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };

    private async Task<IServingBackend> LoadLocalAsync(LocalModelTarget target)
    {
        // The registry re-hashes the artifact: a corrupt file is refused here, never served.
        var (version, bytes) = await registry.LoadArtifactAsync(target.Model, target.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
        if (version.Stage == Stage.Archived)
        {
            LogArchived(logger, target.Key);
        }

        InferenceSession session;
        try
        {
            session = InferenceSession.Load(bytes, sessionOptions);
        }
        catch (OnnxModelException e)
        {
            throw ProblemTypes.VersionUnavailable.With($"{target.Key} cannot be loaded by the engine: {e.Message}", e);
        }

        var backend = new LocalModelBackend(session);
        Warm(target.Key, session);
        return backend;
    }

    private void Warm(string key, InferenceSession session)
    {
        var inputs = WarmupInputs.For(session.Inputs, Math.Max(1, options.Value.WarmupRows));
        if (inputs is null)
        {
            return;
        }

        // Within the default budget and a time limit: a version whose warm-up would not finish is still served
        // (requests run under their endpoint's deadline), but deploy never hangs on it.
        using var limit = new CancellationTokenSource(options.Value.WarmupTimeout);
        try
        {
            session.Run(inputs, new OnnxRunOptions(options.Value.DefaultMemoryBudgetBytes, limit.Token));
        }
        catch (OperationCanceledException)
        {
            LogWarmupFailed(logger, key, $"stopped after {options.Value.WarmupTimeout.TotalSeconds:0.#} s");
        }
        catch (OnnxException e)
        {
            // Zeros can be outside a model's domain (a label encoder, a log); that is not a reason to refuse it.
            LogWarmupFailed(logger, key, e.Message);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Target {Key} is unavailable and will answer through the fallback chain: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Warm-up run of {Key} on synthetic inputs failed (it is still served): {Reason}")]
    private static partial void LogWarmupFailed(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Target {Key} is an archived version; it is served because an endpoint still routes to it")]
    private static partial void LogArchived(ILogger logger, string key);
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Settings;
using Escala.Core.Registry;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Monitoring.Live;

/// <summary>
/// The <see cref="VersionMonitor"/> of every endpoint x version that has served. The request path only reads
/// (<see cref="Find"/>: a lock-free dictionary lookup); a miss queues a load and the request goes unchecked
/// while the monitoring worker builds the monitor from the database (settings, signature, baseline) within
/// milliseconds (a snapshot about to serve has its monitors prepared, so that is rare). Changed settings or baselines
/// rebuild the affected monitors and swap them in; the worker closes the old ones' open windows, so no row is lost.
/// </summary>
public sealed partial class MonitorDirectory(
    MonitoringConfiguration configuration, IModelStore models, VersionBaselines baselines, TimeProvider time, ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<(string Endpoint, string Target), VersionMonitor> _monitors = new();
    private readonly ConcurrentDictionary<(string Endpoint, string Target), byte> _requested = new();
    private readonly ConcurrentDictionary<(string Endpoint, string Target), QualityCounters> _counters = new();
    private readonly Channel<(string Endpoint, string Target)> _loads =
        Channel.CreateBounded<(string, string)>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly ConcurrentQueue<VersionMonitor> _retired = new();
    private readonly SemaphoreSlim _replacing = new(1, 1);
    private readonly ILogger _logger = loggers.CreateLogger<MonitorDirectory>();
    private long _generation;

    /// <summary>Every loaded monitor.</summary>
    public ICollection<VersionMonitor> All => _monitors.Values;

    /// <summary>Loads waiting for the worker.</summary>
    public ChannelReader<(string Endpoint, string Target)> Requested => _loads.Reader;

    /// <summary>The monitor of <paramref name="endpoint"/> and <paramref name="target"/>, or null (its load is queued).</summary>
    public VersionMonitor? Find(string endpoint, string target)
    {
        if (_monitors.TryGetValue((endpoint, target), out var monitor))
        {
            return monitor;
        }

        Request(endpoint, target);
        return null;
    }

    /// <summary>Queues a load (e.g. for every version an endpoint routes to, before its first request).</summary>
    public void Request(string endpoint, string target)
    {
        if (!_monitors.ContainsKey((endpoint, target)) && _requested.TryAdd((endpoint, target), 0) && !_loads.Writer.TryWrite((endpoint, target)))
        {
            _requested.TryRemove((endpoint, target), out _);
        }
    }

    /// <summary>The monitor, loading it now when missing (off the request path: reports, tests).</summary>
    public async Task<VersionMonitor> GetAsync(string endpoint, string target, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_monitors.TryGetValue((endpoint, target), out var monitor))
            {
                return monitor;
            }

            await LoadAsync(endpoint, target, cancellationToken);
        }
    }

    /// <summary>Builds and installs the monitor of <paramref name="endpoint"/> and <paramref name="target"/> (the worker).</summary>
    public async Task LoadAsync(string endpoint, string target, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var generation = Interlocked.Read(ref _generation);
            var monitor = await BuildAsync(endpoint, target, cancellationToken);
            if (Interlocked.Read(ref _generation) != generation)
            {
                // Settings or a baseline changed while this was built: build again from the new state.
                continue;
            }

            // Another load (the worker's, a snapshot being prepared) may have installed one built from the same state
            // meanwhile: it stays, since requests may already count on it; an invalidation would have removed it.
            _monitors.TryAdd((endpoint, target), monitor);
            _requested.TryRemove((endpoint, target), out _);
            return;
        }
    }

    /// <summary>
    /// Rebuilds every monitor of <paramref name="endpoint"/> from its changed settings and swaps each in; returns once the
    /// new ones serve. The old ones are retired (the worker closes and judges their open windows), and requests never
    /// meet a gap: until its replacement is in, a monitor keeps checking and windowing under the old settings.
    /// </summary>
    public Task ReloadAsync(string endpoint) => ReplaceAsync(key => string.Equals(key.Endpoint, endpoint, StringComparison.Ordinal));

    /// <summary>Rebuilds every monitor of version <paramref name="version"/> of <paramref name="model"/> (its baseline changed), as <see cref="ReloadAsync(string)"/>.</summary>
    public Task ReloadAsync(string model, int version) => ReplaceAsync(key => string.Equals(key.Target, TargetKey(model, version), StringComparison.Ordinal));

    /// <summary>Takes a retired monitor whose open window the worker must close.</summary>
    public bool TryTakeRetired(out VersionMonitor monitor) => _retired.TryDequeue(out monitor!);

    /// <summary>The key of a local version (<c>model:version</c>), as the gateway names targets.</summary>
    public static string TargetKey(string model, int version) => string.Create(CultureInfo.InvariantCulture, $"{model}:{version}");

    /// <summary>Splits <c>model:version</c>; false for other targets (external backends).</summary>
    public static bool TryParseTarget(string target, out string model, out int version)
    {
        var colon = target.LastIndexOf(':');
        model = colon > 0 ? target[..colon] : "";
        version = 0;
        return colon > 0 && int.TryParse(target.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out version) && version > 0;
    }

    private async Task ReplaceAsync(Func<(string Endpoint, string Target), bool> which)
    {
        // One replacement at a time, so two quick changes cannot install their monitors in the wrong order.
        await _replacing.WaitAsync(CancellationToken.None);
        try
        {
            // Loads in flight started from the old state: they see the new generation and build again.
            Interlocked.Increment(ref _generation);
            foreach (var key in _monitors.Keys.Where(which).ToList())
            {
                var fresh = await BuildAsync(key.Endpoint, key.Target, CancellationToken.None);
                _monitors.AddOrUpdate(key, fresh, (_, old) =>
                {
                    _retired.Enqueue(old);
                    return fresh;
                });
            }
        }
        finally
        {
            _replacing.Release();
        }
    }

    private async Task<VersionMonitor> BuildAsync(string endpoint, string target, CancellationToken cancellationToken)
    {
        var settings = await configuration.EffectiveAsync(endpoint, cancellationToken);
        var logger = loggers.CreateLogger<VersionMonitor>();
        var counters = _counters.GetOrAdd((endpoint, target), static _ => new QualityCounters());
        if (!TryParseTarget(target, out var model, out var number))
        {
            return new VersionMonitor(endpoint, target, null, 0, settings,
                $"'{target}' is not a registered model version (an external backend or a default answer); only its requests, errors and latency are monitored.",
                null, null, logger, counters);
        }

        var version = await models.FindVersionAsync(model, number, cancellationToken);
        if (version?.Signature is not { } signature)
        {
            return new VersionMonitor(endpoint, target, model, number, settings, $"{target} is not registered (or has no recorded signature).", null, null, logger, counters);
        }

        var prediction = PredictionColumn.Of(signature);
        var stored = await baselines.FindAsync(model, number, cancellationToken);
        if (stored is null)
        {
            var names = DefaultFeatureNames(signature);
            string? problem = "an input has an unknown number of values per row";
            var layout = names.Count == 0 ? null : FeatureLayout.TryCreate(signature, names, out problem);
            var reader = layout is null ? null : new RowReader(layout, prediction);
            if (settings.BaselineFromPredictions is { } rows && layout is not null)
            {
                return new VersionMonitor(endpoint, target, model, number, settings,
                    string.Create(CultureInfo.InvariantCulture, $"{target} has no baseline yet; one is being built from its first {rows} rows."),
                    new BaselineCapture(rows, layout, prediction), reader, logger, counters);
            }

            return new VersionMonitor(endpoint, target, model, number, settings,
                layout is null
                    ? $"{target} cannot be monitored row by row: {problem}"
                    : $"{target} has no baseline. Attach one with `escala models baseline {model} {number.ToString(CultureInfo.InvariantCulture)} --csv reference.csv`, or set baselineFromPredictions.",
                null, null, logger, counters);
        }

        var bound = FeatureLayout.TryCreate(signature, stored.Profile, out var mismatch);
        if (bound is null)
        {
            return new VersionMonitor(endpoint, target, model, number, settings, $"{target}'s baseline does not fit its inputs: {mismatch}", null, null, logger, counters);
        }

        // The prediction is windowed when the baseline profiled the same column, read as the baseline profiled it (an
        // integer class label profiled as numbers by an older baseline is still compared, as numbers).
        var column = prediction is not null && stored.Profile.Prediction is { } profiled ? prediction.ReadAs(profiled) : null;
        var policy = settings.Drift;
        string? policyProblem = null;
        try
        {
            _ = new DriftDetector(stored.Profile, policy);
        }
        catch (ArgumentException e)
        {
            policyProblem = $"The endpoint's drift policy does not fit {target}'s baseline ({e.Message}); the default policy is used.";
            LogPolicyProblem(_logger, endpoint, target, e.Message);
            policy = DriftPolicy.Default;
        }

        return new VersionMonitor(endpoint, target, model, number, settings, stored.Profile, new RowReader(bound, column), policy, policyProblem, time, logger, counters);
    }

    /// <summary>The feature names of a model without a baseline: each one-value input by its name, the columns of a wider one as <c>input[j]</c>.</summary>
    public static IReadOnlyList<string> DefaultFeatureNames(ModelSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var names = new List<string>();
        foreach (var input in signature.Inputs)
        {
            var width = FeatureLayout.RowWidth(input);
            if (width == 1)
            {
                names.Add(input.Name);
            }
            else
            {
                for (var j = 0; j < width; j++)
                {
                    names.Add(string.Create(CultureInfo.InvariantCulture, $"{input.Name}[{j}]"));
                }
            }
        }

        return names;
    }

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "The drift policy of {Endpoint} does not fit the baseline of {Target}: {Problem}; the default policy is used")]
    private static partial void LogPolicyProblem(ILogger logger, string endpoint, string target, string problem);
}

using System.Diagnostics;
using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Capacity;
using Escala.Core.Naming;
using Escala.Core.Problems;
using Escala.Server.Serving;

namespace Escala.Server.Organisation;

/// <summary>
/// A bounded load test of one version on this node: synthetic inputs of the version's signature run through its
/// serving backend (the engine or the external server, without HTTP in front) by N concurrent callers for a fixed
/// time, N rising 1, 2, 4 ... up to the maximum; throughput per level, the USL fit, and the process's CPU time per
/// prediction over the whole test. Stored with the version; the cost projection uses its peak.
/// </summary>
public sealed class CapacityRunner(LiveEndpoints live, ICapacityStore store, TimeProvider time)
{
    /// <summary>The largest concurrency a test may reach.</summary>
    public const int MaxConcurrency = 64;

    /// <summary>The longest a level may run.</summary>
    public static readonly TimeSpan MaxLevelDuration = TimeSpan.FromSeconds(15);

    /// <summary>Runs the test of <paramref name="version"/> (default: the endpoint's default live version).</summary>
    public async Task<CapacityResult> RunAsync(Principal caller, string endpoint, string? version, int maxConcurrency, TimeSpan levelDuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (maxConcurrency is < 3 or > MaxConcurrency)
        {
            throw ProblemTypes.ValidationFailed.With($"max concurrency must be between 3 (the fit needs three levels) and {MaxConcurrency}; got {maxConcurrency}.");
        }

        if (levelDuration < TimeSpan.FromMilliseconds(100) || levelDuration > MaxLevelDuration)
        {
            throw ProblemTypes.ValidationFailed.With($"duration must be between 100ms and {MaxLevelDuration.TotalSeconds}s per level; got {levelDuration.TotalSeconds}s.");
        }

        if (!live.TryGet(endpoint, out var snapshot))
        {
            throw ProblemTypes.NotFound.With($"There is no endpoint '{ResourceName.Printable(endpoint)}'.");
        }

        var key = version ?? snapshot.Endpoint.Routing.Default?.Live ?? snapshot.Endpoint.Routing.Departments.Select(d => d.Policy.Live).FirstOrDefault()
            ?? throw ProblemTypes.NotDeployed.With($"Nothing serves '{endpoint}'; deploy a version or name one with --version.");
        var index = snapshot.Plan.IndexOf(key);
        if (index < 0)
        {
            throw ProblemTypes.NotFound.With($"The endpoint '{endpoint}' has no version '{ResourceName.Printable(key)}'; its versions are {string.Join(", ", snapshot.Plan.Targets)}.");
        }

        var backend = snapshot.Targets[index].Backend;
        var inputs = backend.IsAvailable ? WarmupInputs.For(backend.Inputs, 1) : null;
        if (inputs is null)
        {
            throw ProblemTypes.VersionUnavailable.With($"{key} is unavailable or has inputs that cannot be synthesised for a load test.");
        }

        var levels = new List<int>();
        for (var n = 1; n < maxConcurrency; n *= 2)
        {
            levels.Add(n);
        }

        levels.Add(maxConcurrency);
        var points = new List<LoadPoint>();
        long total = 0;
        long failures = 0;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var concurrency in levels)
        {
            var (answered, failed, elapsed) = await LevelAsync(backend, inputs, concurrency, levelDuration, cancellationToken).ConfigureAwait(false);
            points.Add(new LoadPoint(concurrency, answered / elapsed.TotalSeconds));
            total += answered;
            failures += failed;
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        UslModel? model = null;
        if (points.All(p => p.Throughput > 0))
        {
            model = UslFit.Fit(points);
        }

        var result = new CapacityResult(endpoint, key, points, model, total == 0 ? 0 : cpu.TotalMilliseconds / total, failures, time.GetUtcNow(), levelDuration.TotalSeconds);
        await store.AddAsync(result, AuditEntry.Create<CapacityResult>(result.MeasuredAt, caller, "capacity.test", $"endpoint/{endpoint}/capacity/{key}", null, result), cancellationToken)
            .ConfigureAwait(false);
        return result;
    }

    private static async Task<(long Answered, long Failed, TimeSpan Elapsed)> LevelAsync(
        IServingBackend backend, IReadOnlyDictionary<string, Onnx.Tensors.OnnxValue> inputs, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        long answered = 0;
        long failed = 0;
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end && !cancellationToken.IsCancellationRequested)
            {
                var attempt = await backend.InferAsync(inputs, cancellationToken).ConfigureAwait(false);
                if (attempt.Succeeded)
                {
                    Interlocked.Increment(ref answered);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        return (answered, failed, Stopwatch.GetElapsedTime(started));
    }
}

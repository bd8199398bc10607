using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Escala.Core.PredictionLog;
using Escala.Onnx.Tensors;
using Escala.Server.PredictionLog;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escala.Server.Serving;

/// <summary>A copy of one answered request for a shadow version.</summary>
/// <param name="Context">The request (its snapshot, id, department, subject).</param>
/// <param name="Shadow">The shadow target.</param>
/// <param name="Inputs">The inputs decoded for the shadow's signature.</param>
/// <param name="ServedOutputs">What the caller was answered, to compare with.</param>
/// <param name="LoggedInputs">The inputs as logged for the served answer (empty when the request is not in the log sample).</param>
/// <param name="ServedBy">The version that answered the caller (the shadow's primary), when known.</param>
public sealed record ShadowJob(
    PredictionContext Context,
    TargetRuntime Shadow,
    IReadOnlyDictionary<string, OnnxValue> Inputs,
    IReadOnlyDictionary<string, OnnxValue> ServedOutputs,
    ReadOnlyMemory<byte> LoggedInputs,
    string? ServedBy = null);

/// <summary>
/// Runs shadow copies off the request path: the caller already has its answer when a copy is queued.
/// The queue is bounded; when it is full the copy is dropped and counted, so a slow shadow can never
/// slow the endpoint. Each copy runs through the shadow's own guard (breaker and deadline); its
/// answer is compared with the one returned, logged with the comparison and passed to observers,
/// and never returned to anyone.
/// </summary>
public sealed partial class ShadowMirror : BackgroundService
{
    private readonly Channel<ShadowJob> _queue;
    private readonly PredictionExecutor _executor;
    private readonly PredictionLogWriter _log;
    private readonly ILogger<ShadowMirror> _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _agreementWindow;
    private readonly ConcurrentDictionary<(string Endpoint, string Primary, string Shadow), ShadowAgreement> _agreements = new();
    private long _queued;
    private long _dropped;
    private long _skipped;
    private long _completed;

    /// <summary>Creates the mirror.</summary>
    public ShadowMirror(PredictionExecutor executor, PredictionLogWriter log, IOptions<GatewayOptions> options, TimeProvider time, ILogger<ShadowMirror> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _executor = executor;
        _log = log;
        _logger = logger;
        _time = time;
        _agreementWindow = options.Value.ShadowAgreementWindow;
        _queue = Channel.CreateBounded<ShadowJob>(new BoundedChannelOptions(Math.Max(1, options.Value.ShadowQueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>Copies queued.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>Copies dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Requests whose copy could not be made because the shadow cannot decode them (its inputs do not fit).</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Copies that ran (answered or failed).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Copies waiting in the queue.</summary>
    public int Depth => _queue.Reader.CanCount ? _queue.Reader.Count : 0;

    /// <summary>Every shadow's agreement with its primary, per endpoint.</summary>
    public ICollection<ShadowAgreement> Agreements => _agreements.Values;

    /// <summary>The agreements of <paramref name="endpoint"/>'s shadows.</summary>
    public IEnumerable<ShadowAgreement> AgreementsOf(string endpoint) => _agreements.Values.Where(a => a.Endpoint == endpoint);

    /// <summary>Counts a request whose copy the shadow could not take.</summary>
    public void Skip() => Interlocked.Increment(ref _skipped);

    /// <summary>Queues a copy; never waits. False (and counted) when the queue is full.</summary>
    public bool TryMirror(ShadowJob job)
    {
        if (_queue.Writer.TryWrite(job))
        {
            Interlocked.Increment(ref _queued);
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Stops taking copies and finishes the ones queued.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (ExecuteTask is { } running)
        {
            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var job in _queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await RunAsync(job).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A shadow must never take anything down, including the loop that runs the next one.
                LogShadowFailed(_logger, job.Shadow.Key, e);
            }
            finally
            {
                Interlocked.Increment(ref _completed);
            }
        }
    }

    private async Task RunAsync(ShadowJob job)
    {
        var snapshot = job.Context.Snapshot;
        var started = Stopwatch.GetTimestamp();
        var attempt = await job.Shadow.Guard.RunAsync(
            static (state, ct) => state.Backend.InferAsync(state.Inputs, ct),
            (job.Shadow.Backend, job.Inputs),
            snapshot.Deadline,
            CancellationToken.None).ConfigureAwait(false);
        var latency = Stopwatch.GetElapsedTime(started);
        if (attempt.Succeeded)
        {
            job.Shadow.Counters.CountShadow();
        }
        else
        {
            job.Shadow.Counters.CountFailure();
        }

        foreach (var observer in _executor.Observers)
        {
            observer.AfterShadow(job.Context, job.Shadow, job.Inputs, attempt, latency);
        }

        if (attempt.Succeeded && job.ServedBy is { } primary)
        {
            _agreements.GetOrAdd((snapshot.Name, primary, job.Shadow.Key), static (key, state) => new ShadowAgreement(key.Endpoint, key.Primary, key.Shadow, state.Window, state.Now), (Window: _agreementWindow, Now: _time.GetUtcNow()))
                .Add(AgreementTally.Of(job.ServedOutputs, attempt.Answer!), _time.GetUtcNow());
        }

        if (job.LoggedInputs.IsEmpty)
        {
            return;
        }

        var outputs = attempt.Succeeded
            ? PredictionLogJson.Outputs(job.Shadow.Backend.Outputs, attempt.Answer!)
            : PredictionLogJson.Failure(attempt.Failure, attempt.Detail);
        _log.TryWrite(new PredictionRecord(
            job.Context.RequestId,
            job.Context.ReceivedAt,
            snapshot.Name,
            job.Shadow.Key,
            job.Context.Department,
            job.Context.Subject,
            PredictionKind.Shadow,
            attempt.Succeeded ? "shadow" : "shadow-failed",
            attempt.Succeeded ? null : attempt.Failure.ToString().ToLowerInvariant(),
            job.LoggedInputs,
            outputs,
            (long)latency.TotalMicroseconds,
            attempt.Succeeded ? OutputComparison.Compare(job.ServedOutputs, attempt.Answer!) : null));
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Shadow copy for {Target} failed unexpectedly")]
    private static partial void LogShadowFailed(ILogger logger, string target, Exception exception);
}

using System.Diagnostics;
using System.Net;
using System.Threading.Channels;

namespace Escala.Gateway.LoadTest;

/// <summary>What one run measured.</summary>
public sealed record LoadResult(
    string Label,
    string Mode,
    long Requests,
    long Failures,
    double Seconds,
    double RequestsPerSecond,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    long ChurnCalls,
    long ChurnFailures,
    IReadOnlyDictionary<string, long> HeaderCounts,
    IReadOnlyList<string> FailureSamples);

/// <summary>
/// Runs the load: a fixed number of workers, either in a closed loop (each sends its next request
/// when the last one answers) or fed by a fixed-rate schedule. In fixed-rate mode latency is
/// measured from when the request was due, not when a worker got to it, so a stalled server
/// shows up in the percentiles instead of silently lowering the rate (coordinated omission).
/// </summary>
public sealed class LoadRun(LoadOptions options)
{
    private const int MaxFailureSamples = 8;

    private readonly List<string> _failureSamples = [];
    private readonly Dictionary<string, long> _headerCounts = new(StringComparer.Ordinal);
    private long _issued;
    private long _failures;
    private long _churnCalls;
    private long _churnFailures;
    private volatile bool _recording;

    /// <summary>Runs warm-up then measurement and returns the figures.</summary>
    public async Task<LoadResult> RunAsync()
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency + 2,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };

        using var stop = new CancellationTokenSource();
        var histograms = Enumerable.Range(0, options.Concurrency).Select(_ => new LatencyHistogram()).ToArray();
        var schedule = options.Rate > 0 ? Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleWriter = true }) : null;

        var workers = histograms.Select(h => Task.Run(() => WorkAsync(client, h, schedule?.Reader, stop.Token))).ToArray();
        var ticker = schedule is null ? Task.CompletedTask : Task.Factory.StartNew(() => Tick(schedule.Writer, stop.Token), TaskCreationOptions.LongRunning);

        await Task.Delay(options.Warmup);
        _recording = true;
        Interlocked.Exchange(ref _issued, 0);
        var started = Stopwatch.GetTimestamp();
        var churn = options.Churn.Count == 0 ? Task.CompletedTask : ChurnAsync(client, stop.Token);

        using (var deadline = new CancellationTokenSource(options.Duration))
        {
            try
            {
                await Task.WhenAny(Task.Delay(Timeout.Infinite, deadline.Token), Task.WhenAll(workers));
            }
            catch (OperationCanceledException)
            {
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);
        await ticker;
        await churn;
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var all = new LatencyHistogram();
        foreach (var h in histograms)
        {
            all.Add(h);
        }

        static double Ms(long ns) => ns / 1e6;
        return new LoadResult(
            options.Label,
            options.Rate > 0 ? $"rate {options.Rate}/s, {options.Concurrency} workers" : $"closed loop, {options.Concurrency} workers",
            all.Count,
            _failures,
            seconds,
            all.Count / seconds,
            Ms(all.Percentile(50)),
            Ms(all.Percentile(90)),
            Ms(all.Percentile(99)),
            Ms(all.Max),
            _churnCalls,
            _churnFailures,
            _headerCounts,
            _failureSamples);
    }

    private async Task WorkAsync(HttpClient client, LatencyHistogram histogram, ChannelReader<long>? schedule, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            long due;
            if (schedule is null)
            {
                due = Stopwatch.GetTimestamp();
            }
            else
            {
                try
                {
                    due = await schedule.ReadAsync(stop);
                }
                catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
                {
                    return;
                }
            }

            if (_recording && Interlocked.Increment(ref _issued) > options.MaxRequests)
            {
                return;
            }

            var recording = _recording;
            var ok = await SendAsync(client, recording);
            if (recording)
            {
                var elapsed = Stopwatch.GetElapsedTime(due);
                histogram.Record((long)(elapsed.Ticks * 100));
                if (!ok)
                {
                    Interlocked.Increment(ref _failures);
                }
            }
        }
    }

    private async Task<bool> SendAsync(HttpClient client, bool recording)
    {
        using var request = new HttpRequestMessage(options.Body is null ? HttpMethod.Get : HttpMethod.Post, options.Url);
        if (options.Body is not null)
        {
            request.Content = new ByteArrayContent(options.Body);
            request.Content.Headers.ContentType = new("application/json");
        }

        foreach (var (name, value) in options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            var body = await response.Content.ReadAsStringAsync();
            var ok = response.IsSuccessStatusCode && (options.Expect is null || body.Contains(options.Expect, StringComparison.Ordinal));
            if (recording)
            {
                if (options.CountHeader is { } header && response.Headers.TryGetValues(header, out var values))
                {
                    Tally(string.Join(",", values));
                }

                if (!ok)
                {
                    Sample($"{(int)response.StatusCode}: {Truncate(body)}");
                }
            }

            return ok;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            if (recording)
            {
                Sample($"{e.GetType().Name}: {e.Message}");
            }

            return false;
        }
    }

    // Releases requests into the schedule at the configured rate. Sleeping 1 ms at a time and
    // catching up on every wake keeps the average rate exact without spinning a core (the machine
    // has two, shared with the server). Each request carries its release time: latency counts the
    // time it then waits for a free worker (the server being slow) but not this timer's own
    // up-to-1 ms oversleep, which is the generator's imprecision, not the server's.
    private void Tick(ChannelWriter<long> writer, CancellationToken stop)
    {
        var start = Stopwatch.GetTimestamp();
        long written = 0;
        var ticksPerRequest = Stopwatch.Frequency / options.Rate;
        while (!stop.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            var due = (long)((now - start) / ticksPerRequest);
            for (; written < due; written++)
            {
                writer.TryWrite(now);
            }

            Thread.Sleep(1);
        }

        writer.TryComplete();
    }

    private async Task ChurnAsync(HttpClient client, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.ChurnEvery);
        var next = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var call = options.Churn[next++ % options.Churn.Count];
                using var request = new HttpRequestMessage(call.Method, call.Url) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
                foreach (var (name, value) in options.Headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                Interlocked.Increment(ref _churnCalls);
                try
                {
                    using var response = await client.SendAsync(request, stop);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref _churnFailures);
                        Sample($"churn {call.Method} {call.Url.AbsolutePath} -> {(int)response.StatusCode}: {Truncate(await response.Content.ReadAsStringAsync(stop))}");
                    }
                }
                catch (HttpRequestException e)
                {
                    Interlocked.Increment(ref _churnFailures);
                    Sample($"churn {call.Method} {call.Url.AbsolutePath}: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Tally(string value)
    {
        lock (_headerCounts)
        {
            _headerCounts[value] = _headerCounts.GetValueOrDefault(value) + 1;
        }
    }

    private void Sample(string text)
    {
        lock (_failureSamples)
        {
            if (_failureSamples.Count < MaxFailureSamples)
            {
                _failureSamples.Add(text);
            }
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";
}

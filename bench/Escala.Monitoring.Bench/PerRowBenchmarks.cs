using BenchmarkDotNet.Attributes;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Latency;
using Escala.Core.Monitoring.Quality;
using Escala.Core.Monitoring.Windows;

namespace Escala.Monitoring.Bench;

/// <summary>What monitoring costs one request: each operation on one 20-feature row (BenchmarkDotNet, allocations measured).</summary>
[MemoryDiagnoser]
public class PerRowBenchmarks
{
    private FeatureValue[][] _rows = [];
    private QualityIssue[] _issues = [];
    private DataQualityCheck _check = null!;
    private WindowAccumulator _window = null!;
    private TumblingWindow _tumbling = null!;
    private LatencyHistogram _latency = null!;
    private RequestCounters _counters = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var baseline = Workload.Baseline(20_000);
        _rows = Workload.Rows(4_096, 0.1, seed: 2);
        _issues = new QualityIssue[Workload.Features];
        _check = new DataQualityCheck(baseline);
        _window = new WindowAccumulator(baseline);
        _tumbling = new TumblingWindow(baseline, WindowSpec.ByTime(TimeSpan.FromHours(1)));
        _latency = new LatencyHistogram();
        _counters = new RequestCounters();
    }

    [Benchmark(Description = "quality check (20 features)")]
    public int QualityCheck() => _check.Check(NextRow(), _issues);

    [Benchmark(Description = "window add (20 features + prediction)")]
    public void WindowAdd()
    {
        var row = NextRow();
        _window.Add(row, row[0]);
    }

    [Benchmark(Description = "tumbling window add (clock read + add)")]
    public void TumblingAdd()
    {
        var row = NextRow();
        _tumbling.Add(row, row[0]);
    }

    [Benchmark(Description = "latency record + request counter")]
    public void LatencyAndCounter()
    {
        _latency.Record(_next++ & 4095);
        _counters.RecordSuccess();
    }

    [Benchmark(Description = "all per-request monitoring")]
    public int Everything()
    {
        var row = NextRow();
        var issues = _check.Check(row, _issues);
        _tumbling.Add(row, row[0]);
        _latency.Record(_next & 4095);
        _counters.RecordSuccess();
        return issues;
    }

    private FeatureValue[] NextRow() => _rows[_next++ & 4095];
}

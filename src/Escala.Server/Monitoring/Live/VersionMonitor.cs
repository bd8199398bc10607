using System.Buffers;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Quality;
using Escala.Core.Monitoring.Settings;
using Escala.Core.Monitoring.Windows;
using Escala.Onnx.Tensors;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Monitoring.Live;

/// <summary>
/// The monitoring of one version behind one endpoint, built off the request path from the endpoint's settings
/// and the version's baseline: the data-quality check with its policy, the tumbling drift window and the drift
/// detector, plus per-feature quality counters. Without a baseline it only says why (<see cref="Unmonitored"/>) or
/// captures rows to build one. The request path calls <see cref="Check"/> and <see cref="Observe"/>: pooled buffers,
/// sharded window locks, <see cref="Interlocked"/> counters; no database, no allocation on valid rows.
/// </summary>
public sealed partial class VersionMonitor
{
    private readonly long[][] _issues;
    private readonly QualityCounters _counters;
    private readonly ILogger _logger;
    private DriftReport? _latest;

    /// <summary>A monitor that checks and windows rows against <paramref name="baseline"/>.</summary>
    public VersionMonitor(
        string endpoint, string target, string? model, int version, MonitoringSettings settings, BaselineProfile baseline, RowReader reader,
        DriftPolicy policy, string? policyProblem, TimeProvider time, ILogger logger, QualityCounters? counters = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(baseline);
        Endpoint = endpoint;
        Target = target;
        Model = model;
        Version = version;
        Settings = settings;
        Baseline = baseline;
        Reader = reader;
        Quality = new DataQualityCheck(baseline, settings.QualityOptions);
        Window = new TumblingWindow(baseline, settings.Window.ToSpec(), time);
        Detector = new DriftDetector(baseline, policy);
        PolicyProblem = policyProblem;
        _counters = counters ?? new QualityCounters();
        _issues = [.. baseline.Features.Select(f => _counters.IssuesOf(f.Name))];
        _logger = logger;
    }

    /// <summary>A monitor that does not look at rows (only counters are kept), saying why, or captures rows for a baseline.</summary>
    public VersionMonitor(
        string endpoint, string target, string? model, int version, MonitoringSettings settings, string reason, BaselineCapture? capture, RowReader? reader,
        ILogger logger, QualityCounters? counters = null)
    {
        Endpoint = endpoint;
        Target = target;
        Model = model;
        Version = version;
        Settings = settings;
        Unmonitored = reason;
        Capture = capture;
        Reader = reader;
        _counters = counters ?? new QualityCounters();
        _issues = [];
        _logger = logger;
    }

    /// <summary>The endpoint.</summary>
    public string Endpoint { get; }

    /// <summary>The version's key (<c>model:version</c>).</summary>
    public string Target { get; }

    /// <summary>The registered model, when the target is a local version.</summary>
    public string? Model { get; }

    /// <summary>The version number (0 when not a local version).</summary>
    public int Version { get; }

    /// <summary>The endpoint's settings this monitor was built with.</summary>
    public MonitoringSettings Settings { get; }

    /// <summary>Why rows are not checked or windowed (no baseline, an external backend...), or null when they are.</summary>
    public string? Unmonitored { get; }

    /// <summary>When the drift policy did not fit the baseline (the defaults are used instead), what was wrong.</summary>
    public string? PolicyProblem { get; }

    /// <summary>The baseline, when monitored.</summary>
    public BaselineProfile? Baseline { get; }

    /// <summary>Reads rows from request tensors.</summary>
    public RowReader? Reader { get; }

    /// <summary>The data-quality check.</summary>
    public DataQualityCheck? Quality { get; }

    /// <summary>The drift window.</summary>
    public TumblingWindow? Window { get; }

    /// <summary>The drift detector.</summary>
    public DriftDetector? Detector { get; }

    /// <summary>Collects rows for a baseline built from predictions, when configured and none exists.</summary>
    public BaselineCapture? Capture { get; }

    /// <summary>Rows checked against a baseline, for the life of the endpoint x version (not only of this monitor).</summary>
    public long RowsChecked => _counters.RowsChecked;

    /// <summary>Rows with at least one quality problem (flagged or rejected), cumulative like <see cref="RowsChecked"/>.</summary>
    public long RowsFlagged => _counters.RowsFlagged;

    /// <summary>Requests refused by the reject policy, cumulative like <see cref="RowsChecked"/>.</summary>
    public long RequestsRejected => _counters.RequestsRejected;

    /// <summary>Windows closed and evaluated, cumulative like <see cref="RowsChecked"/>.</summary>
    public long WindowsClosed => _counters.WindowsClosed;

    /// <summary>The cumulative counters this monitor counts into.</summary>
    public QualityCounters Counters => _counters;

    /// <summary>The latest closed window's drift report.</summary>
    public DriftReport? LatestReport => Volatile.Read(ref _latest);

    /// <summary>Quality problems seen of <paramref name="problem"/> in feature <paramref name="feature"/>.</summary>
    public long Issues(int feature, QualityProblem problem) => Interlocked.Read(ref _issues[feature][(int)problem]);

    /// <summary>Records a closed window's report (the worker).</summary>
    public void Closed(DriftReport report)
    {
        Volatile.Write(ref _latest, report);
        _counters.WindowClosed();
    }

    /// <summary>Checks a request's rows against the baseline; under the reject policy, the first bad row refuses the request.</summary>
    public QualityVerdict Check(IReadOnlyDictionary<string, OnnxValue> inputs)
    {
        if (Quality is null || Reader is null || Settings.Quality == QualityPolicy.Off)
        {
            return QualityVerdict.Accept;
        }

        var rows = Reader.RowsOf(inputs);
        if (rows <= 0)
        {
            return QualityVerdict.Accept;
        }

        var features = Reader.Features;
        var buffer = ArrayPool<FeatureValue>.Shared.Rent(rows * features);
        try
        {
            var values = buffer.AsSpan(0, rows * features);
            Reader.Read(inputs, rows, values);
            _counters.Checked(rows);
            for (var r = 0; r < rows; r++)
            {
                var row = values.Slice(r * features, features);
                if (Quality.Check(row, default) > 0)
                {
                    var verdict = Problems(row, r, rows);
                    if (verdict.Refused)
                    {
                        return verdict;
                    }
                }
            }

            return QualityVerdict.Accept;
        }
        finally
        {
            ArrayPool<FeatureValue>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <summary>Adds an answered request's rows and predictions to the drift window (and the baseline capture).</summary>
    public void Observe(IReadOnlyDictionary<string, OnnxValue> inputs, IReadOnlyDictionary<string, OnnxValue>? outputs)
    {
        var reader = Reader;
        if (reader is null || (Window is null && Capture is null))
        {
            return;
        }

        var rows = reader.RowsOf(inputs);
        if (rows <= 0)
        {
            return;
        }

        var features = reader.Features;
        var buffer = ArrayPool<FeatureValue>.Shared.Rent(rows * features);
        try
        {
            var values = buffer.AsSpan(0, rows * features);
            reader.Read(inputs, rows, values);
            for (var r = 0; r < rows; r++)
            {
                var row = values.Slice(r * features, features);
                var prediction = reader.PredictionOf(outputs, r);
                Window?.Add(row, prediction);
                Capture?.Offer(row, prediction);
            }
        }
        finally
        {
            ArrayPool<FeatureValue>.Shared.Return(buffer, clearArray: true);
        }
    }

    // The slow path, for rows with problems only: count each problem, log it, and refuse under the reject policy.
    private QualityVerdict Problems(ReadOnlySpan<FeatureValue> row, int index, int rows)
    {
        var issues = ArrayPool<QualityIssue>.Shared.Rent(row.Length);
        try
        {
            var found = Math.Min(Quality!.Check(row, issues), issues.Length);
            _counters.Flagged();
            for (var i = 0; i < found; i++)
            {
                Interlocked.Increment(ref _issues[issues[i].FeatureIndex][(int)issues[i].Problem]);
            }

            var first = issues[0];
            var where = rows > 1 ? $"Row {index}: " : "";
            if (Settings.Quality == QualityPolicy.Reject)
            {
                _counters.Rejected();
                var more = found > 1 ? $" ({found - 1} more problem{(found > 2 ? "s" : "")} in this row.)" : "";
                return new QualityVerdict(true, where + first.Describe() + more, first.Feature);
            }

            if (_logger.IsEnabled(LogLevel.Debug))
            {
                LogFlagged(_logger, Endpoint, Target, where + first.Describe(), found);
            }

            return QualityVerdict.Accept;
        }
        finally
        {
            ArrayPool<QualityIssue>.Shared.Return(issues, clearArray: true);
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Debug, Message = "Data quality on {Endpoint} ({Target}), flagged and answered: {Problem} ({Count} problem(s) in the row)")]
    private static partial void LogFlagged(ILogger logger, string endpoint, string target, string problem, int count);
}

using System.Collections.Concurrent;
using Escala.Core.Monitoring.Quality;

namespace Escala.Server.Monitoring.Live;

/// <summary>
/// The cumulative data-quality counters of one endpoint x version. They outlive the <see cref="VersionMonitor"/>s
/// built from each state of the settings and baseline: a rebuilt monitor counts into the same object (by reference,
/// so an increment on the monitor being replaced is not lost), and <c>/metrics</c> keeps Prometheus semantics
/// (counters only go up for the life of the endpoint, whatever is reconfigured).
/// </summary>
public sealed class QualityCounters
{
    /// <summary>The quality problems, one slot each per feature.</summary>
    public static readonly int ProblemKinds = Enum.GetValues<QualityProblem>().Length;

    private readonly ConcurrentDictionary<string, long[]> _issues = new(StringComparer.Ordinal);
    private long _rowsChecked;
    private long _rowsFlagged;
    private long _requestsRejected;
    private long _windowsClosed;

    /// <summary>Rows checked against a baseline.</summary>
    public long RowsChecked => Interlocked.Read(ref _rowsChecked);

    /// <summary>Rows with at least one quality problem (flagged or rejected).</summary>
    public long RowsFlagged => Interlocked.Read(ref _rowsFlagged);

    /// <summary>Requests refused by the reject policy.</summary>
    public long RequestsRejected => Interlocked.Read(ref _requestsRejected);

    /// <summary>Windows closed and evaluated.</summary>
    public long WindowsClosed => Interlocked.Read(ref _windowsClosed);

    /// <summary>The problem counts of the feature named <paramref name="feature"/> (one slot per <see cref="QualityProblem"/>), shared by every monitor that checks it.</summary>
    public long[] IssuesOf(string feature) => _issues.GetOrAdd(feature, static _ => new long[ProblemKinds]);

    /// <summary>Counts <paramref name="rows"/> checked rows.</summary>
    public void Checked(int rows) => Interlocked.Add(ref _rowsChecked, rows);

    /// <summary>Counts one row with problems.</summary>
    public void Flagged() => Interlocked.Increment(ref _rowsFlagged);

    /// <summary>Counts one refused request.</summary>
    public void Rejected() => Interlocked.Increment(ref _requestsRejected);

    /// <summary>Counts one closed window.</summary>
    public void WindowClosed() => Interlocked.Increment(ref _windowsClosed);
}

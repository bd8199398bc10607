using System.Collections.Concurrent;

namespace Escala.Server.Monitoring.Live;

/// <summary>
/// Every <see cref="ServingSeries"/> of this process, found by endpoint, version and department. The lookup is a
/// lock-free dictionary read on a struct key (no allocation); a series is created once, on its first request.
/// The number of series is bounded: past <see cref="MaxSeries"/>, new departments are counted under <c>(other)</c>
/// so hostile or buggy traffic cannot grow memory without limit.
/// </summary>
public sealed class LiveMetrics
{
    /// <summary>The most series kept before departments are folded into <see cref="OtherDepartment"/>.</summary>
    public const int MaxSeries = 20_000;

    /// <summary>The department label of folded series.</summary>
    public const string OtherDepartment = "(other)";

    private readonly ConcurrentDictionary<(string Endpoint, string Target, string? Department), ServingSeries> _series = new();

    /// <summary>Every series.</summary>
    public ICollection<ServingSeries> All => _series.Values;

    /// <summary>The series of <paramref name="endpoint"/>, <paramref name="target"/> and <paramref name="department"/>, created on first use.</summary>
    public ServingSeries Series(string endpoint, string target, string? department)
    {
        if (_series.TryGetValue((endpoint, target, department), out var found))
        {
            return found;
        }

        if (_series.Count >= MaxSeries && department is not null)
        {
            department = OtherDepartment;
        }

        return _series.GetOrAdd((endpoint, target, department), static key => new ServingSeries(key.Endpoint, key.Target, key.Department));
    }

    /// <summary>The series of one endpoint.</summary>
    public IEnumerable<ServingSeries> Of(string endpoint) => _series.Values.Where(s => string.Equals(s.Endpoint, endpoint, StringComparison.Ordinal));

    /// <summary>Endpoints with at least one series.</summary>
    public IEnumerable<string> Endpoints => _series.Values.Select(s => s.Endpoint).Distinct(StringComparer.Ordinal);
}

using Escala.Onnx.Tensors;

namespace Escala.Server.Serving;

/// <summary>How a shadow's answers compared with the primary's over some rows: labels equal, and the absolute difference of scores.</summary>
/// <param name="Labels">Label values compared (integer, string or boolean outputs).</param>
/// <param name="LabelMatches">Of those, how many were equal.</param>
/// <param name="Scores">Score values compared (float outputs and probability maps).</param>
/// <param name="AbsDiffSum">The sum of |primary - shadow| over those scores.</param>
public readonly record struct AgreementTally(long Labels, long LabelMatches, long Scores, double AbsDiffSum)
{
    /// <summary>The share of equal labels, or null when no label was compared.</summary>
    public double? LabelAgreement => Labels == 0 ? null : (double)LabelMatches / Labels;

    /// <summary>The mean absolute difference of scores, or null when no score was compared.</summary>
    public double? MeanAbsDiff => Scores == 0 ? null : AbsDiffSum / Scores;

    /// <summary>Both tallies together.</summary>
    public static AgreementTally operator +(AgreementTally a, AgreementTally b) =>
        new(a.Labels + b.Labels, a.LabelMatches + b.LabelMatches, a.Scores + b.Scores, a.AbsDiffSum + b.AbsDiffSum);

    /// <summary>Tallies every output the two answers share and can compare.</summary>
    public static AgreementTally Of(IReadOnlyDictionary<string, OnnxValue> served, IReadOnlyDictionary<string, OnnxValue> shadow)
    {
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(shadow);
        var tally = default(AgreementTally);
        foreach (var (name, a) in served)
        {
            if (!shadow.TryGetValue(name, out var b))
            {
                continue;
            }

            tally += (a, b) switch
            {
                (OnnxTensor<float> x, OnnxTensor<float> y) when x.Length == y.Length => TallyScores(x.Span, y.Span),
                (OnnxTensor<double> x, OnnxTensor<double> y) when x.Length == y.Length => TallyScores(x.Span, y.Span),
                (OnnxMapSequence<long> x, OnnxMapSequence<long> y) when x.Count == y.Count && x.Keys.SequenceEqual(y.Keys) => TallyMaps(x, y),
                (OnnxMapSequence<string> x, OnnxMapSequence<string> y) when x.Count == y.Count && x.Keys.SequenceEqual(y.Keys) => TallyMaps(x, y),
                (OnnxTensor<long> x, OnnxTensor<long> y) when x.Length == y.Length => TallyLabels(x.Span, y.Span),
                (OnnxTensor<int> x, OnnxTensor<int> y) when x.Length == y.Length => TallyLabels(x.Span, y.Span),
                (OnnxTensor<bool> x, OnnxTensor<bool> y) when x.Length == y.Length => TallyLabels(x.Span, y.Span),
                (OnnxTensor<string> x, OnnxTensor<string> y) when x.Length == y.Length => TallyLabels(x.Span, y.Span),
                _ => default,
            };
        }

        return tally;
    }

    private static AgreementTally TallyScores(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs((double)a[i] - b[i]);
        }

        return new(0, 0, a.Length, sum);
    }

    private static AgreementTally TallyScores(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return new(0, 0, a.Length, sum);
    }

    private static AgreementTally TallyMaps<TKey>(OnnxMapSequence<TKey> a, OnnxMapSequence<TKey> b)
        where TKey : notnull
    {
        var tally = default(AgreementTally);
        for (var row = 0; row < a.Count; row++)
        {
            tally += TallyScores(a.Row(row), b.Row(row));
        }

        return tally;
    }

    private static AgreementTally TallyLabels<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
    {
        var same = 0L;
        for (var i = 0; i < a.Length; i++)
        {
            same += EqualityComparer<T>.Default.Equals(a[i], b[i]) ? 1 : 0;
        }

        return new(a.Length, same, 0, 0);
    }
}

/// <summary>One tumbling window of a shadow's agreement with its primary.</summary>
/// <param name="Start">When the window opened.</param>
/// <param name="End">When it closed (or now, for the open window).</param>
/// <param name="Copies">Shadow copies compared in it.</param>
/// <param name="Tally">What they came to.</param>
public sealed record AgreementWindow(DateTimeOffset Start, DateTimeOffset End, long Copies, AgreementTally Tally);

/// <summary>
/// A shadow's agreement with the primary of one endpoint: cumulative (for <c>/metrics</c>, where Prometheus takes rates
/// over any window) and in tumbling windows (the open one and the last closed one, for <c>escala endpoints show</c>).
/// Written by the shadow mirror's single reader; read by the API.
/// </summary>
public sealed class ShadowAgreement(string endpoint, string primary, string shadow, TimeSpan window, DateTimeOffset now)
{
    private readonly Lock _gate = new();
    private AgreementTally _total;
    private long _copies;
    private AgreementTally _open;
    private long _openCopies;
    private DateTimeOffset _openStart = now;
    private AgreementWindow? _closed;

    /// <summary>The endpoint.</summary>
    public string Endpoint { get; } = endpoint;

    /// <summary>The version answering callers.</summary>
    public string Primary { get; } = primary;

    /// <summary>The shadow version.</summary>
    public string Shadow { get; } = shadow;

    /// <summary>Adds the comparison of one copy made at <paramref name="at"/>.</summary>
    public void Add(AgreementTally tally, DateTimeOffset at)
    {
        lock (_gate)
        {
            Roll(at);
            _total += tally;
            _copies++;
            _open += tally;
            _openCopies++;
        }
    }

    /// <summary>Everything compared since the server started: copies and tally.</summary>
    public (long Copies, AgreementTally Tally) Total()
    {
        lock (_gate)
        {
            return (_copies, _total);
        }
    }

    /// <summary>The open window so far and the last closed one (null until one closed), as of <paramref name="at"/>.</summary>
    public (AgreementWindow Open, AgreementWindow? Closed) Windows(DateTimeOffset at)
    {
        lock (_gate)
        {
            Roll(at);
            return (new AgreementWindow(_openStart, at, _openCopies, _open), _closed);
        }
    }

    private void Roll(DateTimeOffset at)
    {
        if (at - _openStart < window)
        {
            return;
        }

        // Windows are aligned on the first one's start; a window without copies still closes (and says so).
        var elapsed = (at - _openStart).Ticks / window.Ticks;
        var end = _openStart + (window * elapsed);
        _closed = elapsed == 1
            ? new AgreementWindow(_openStart, end, _openCopies, _open)
            : new AgreementWindow(end - window, end, 0, default);
        _openStart = end;
        _open = default;
        _openCopies = 0;
    }
}

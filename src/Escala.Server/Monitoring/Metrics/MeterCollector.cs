using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Escala.Server.Monitoring.Metrics;

/// <summary>
/// Brings the other features' <see cref="System.Diagnostics.Metrics"/> instruments (meters named <c>Escala.*</c>,
/// e.g. the prediction log's counters) into <c>/metrics</c>: counters and up-down counters are summed per tag set
/// as they are recorded, observable instruments are read at scrape time. Histograms of other meters are not
/// exposed (monitoring's own latency histograms are). Monitoring's own OTLP meters are skipped: they mirror what
/// <c>/metrics</c> already renders from the live counters.
/// </summary>
public sealed class MeterCollector : IDisposable
{
    /// <summary>Meters whose names start with this are collected.</summary>
    public const string Prefix = "Escala.";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Tags), double> _sums = new();
    private readonly Lock _scrape = new();
    private List<(Instrument Instrument, string Tags, double Value)>? _observed;

    /// <summary>Starts listening.</summary>
    public MeterCollector()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            var meter = instrument.Meter.Name;
            if (meter.StartsWith(Prefix, StringComparison.Ordinal) && !meter.StartsWith(OtlpExport.MeterPrefix, StringComparison.Ordinal)
                && instrument is not Histogram<long> and not Histogram<double> and not Histogram<int> and not Histogram<float>)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Writes every collected instrument's families.</summary>
    public void WriteTo(PrometheusText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<(Instrument Instrument, string Tags, double Value)> observed;
        lock (_scrape)
        {
            _observed = [];
            _listener.RecordObservableInstruments();
            observed = _observed;
            _observed = null;
        }

        var all = observed.Concat(_sums.Select(p => (p.Key.Instrument, p.Key.Tags, p.Value)))
            .GroupBy(m => m.Instrument)
            .OrderBy(g => g.Key.Name, StringComparer.Ordinal);
        foreach (var group in all)
        {
            var instrument = group.Key;
            var counter = instrument.GetType().Name.StartsWith("Counter", StringComparison.Ordinal)
                || instrument.GetType().Name.StartsWith("ObservableCounter", StringComparison.Ordinal);
            var name = PrometheusText.Name(instrument.Name);
            if (counter && !name.EndsWith("_total", StringComparison.Ordinal))
            {
                name += "_total";
            }

            var help = (instrument.Description ?? instrument.Name) + (string.IsNullOrEmpty(instrument.Unit) ? "" : $" Unit: {instrument.Unit}.");
            if (!text.Family(name, counter ? "counter" : "gauge", help))
            {
                continue;
            }

            foreach (var (_, tags, value) in group.OrderBy(m => m.Tags, StringComparer.Ordinal))
            {
                text.Sample(name, value, Labels(tags));
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct, IConvertible
    {
        var number = value.ToDouble(CultureInfo.InvariantCulture);
        var key = Tags(tags);
        if (instrument.IsObservable)
        {
            _observed?.Add((instrument, key, number));
            return;
        }

        _sums.AddOrUpdate((instrument, key), number, (_, sum) => sum + number);
    }

    private static string Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return "";
        }

        var pairs = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            pairs.Add(PrometheusText.Name(tag.Key) + "\u0001" + Convert.ToString(tag.Value, CultureInfo.InvariantCulture));
        }

        pairs.Sort(StringComparer.Ordinal);
        return string.Join('\u0002', pairs);
    }

    private static (string Name, string? Value)[] Labels(string tags)
    {
        if (tags.Length == 0)
        {
            return [];
        }

        var parts = tags.Split('\u0002');
        var labels = new (string, string?)[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var cut = parts[i].IndexOf('\u0001', StringComparison.Ordinal);
            labels[i] = (parts[i][..cut], parts[i][(cut + 1)..]);
        }

        return labels;
    }
}

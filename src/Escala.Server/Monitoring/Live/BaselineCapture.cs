using System.Threading.Channels;
using Escala.Core.Monitoring.Baselines;

namespace Escala.Server.Monitoring.Live;

/// <summary>
/// Collects a version's first N monitored rows (and their predictions) to build its baseline when it has none
/// (the endpoint's <c>baselineFromPredictions</c> setting). The request path only copies the row into a bounded
/// channel and never waits (a full channel drops the row and the capture takes longer); the monitoring worker
/// drains it into a <see cref="BaselineBuilder"/> and stores the profile once N rows are in.
/// </summary>
public sealed class BaselineCapture
{
    private readonly Channel<(FeatureValue[] Row, FeatureValue Prediction)> _rows =
        Channel.CreateBounded<(FeatureValue[], FeatureValue)>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly BaselineBuilder _builder;
    private long _offered;

    /// <summary>Starts a capture of <paramref name="rows"/> rows laid out as <paramref name="layout"/>.</summary>
    public BaselineCapture(int rows, FeatureLayout layout, PredictionColumn? prediction)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Target = rows;
        var kinds = new Dictionary<string, FeatureKind>(StringComparer.Ordinal);
        foreach (var input in layout.Inputs)
        {
            foreach (var feature in input.Features)
            {
                kinds[layout.Features[feature]] = input.IsText ? FeatureKind.Categorical : FeatureKind.Numeric;
            }
        }

        if (prediction is not null)
        {
            // A class label is profiled as categories even when it is a number, as the live windows read it.
            kinds[prediction.Name] = prediction.Kind;
        }

        _builder = new BaselineBuilder(layout.Features, new BaselineOptions
        {
            Kinds = kinds,
            MaxRows = rows,
            PredictionName = prediction?.Name ?? "prediction",
        });
    }

    /// <summary>Rows wanted.</summary>
    public int Target { get; }

    /// <summary>Rows taken into the builder so far.</summary>
    public int Collected => _builder.RowCount;

    /// <summary>Copies one row for the baseline, until enough were offered. Never blocks.</summary>
    public void Offer(ReadOnlySpan<FeatureValue> row, FeatureValue prediction)
    {
        if (Interlocked.Read(ref _offered) >= Target)
        {
            return;
        }

        // A dropped row (full channel) is offered again by later traffic, so count only what was queued.
        if (_rows.Writer.TryWrite((row.ToArray(), prediction)))
        {
            Interlocked.Increment(ref _offered);
        }
    }

    /// <summary>Moves queued rows into the builder (the worker's thread only); true once the baseline is complete.</summary>
    public bool Drain()
    {
        while (!_builder.IsFull && _rows.Reader.TryRead(out var item))
        {
            _builder.Add(item.Row, item.Prediction);
        }

        return _builder.IsFull;
    }

    /// <summary>The profile of the rows collected.</summary>
    public BaselineProfile Build() => _builder.Build();
}

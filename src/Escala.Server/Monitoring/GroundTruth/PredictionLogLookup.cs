using System.Text.Json;
using Escala.Core.Monitoring.Accuracy;
using Escala.Core.PredictionLog;
using Escala.Server.PredictionLog;
using Microsoft.Extensions.Options;

namespace Escala.Server.Monitoring.GroundTruth;

/// <summary>
/// Finds a request's served answer in the gateway's prediction log (<see cref="IPredictionLogStore"/>): the line the
/// caller was answered with (not a shadow's), its version, department, arrival time and outputs. A request the log
/// does not hold (never made, outside the endpoint's log sample, past the retention) is not found; one still queued
/// in the writer for a moment after its answer is found once <see cref="CatchUpAsync"/> has waited for the writer.
/// A failed request is found with its failure, so a label for it is refused saying why.
/// </summary>
public sealed class PredictionLogLookup(IPredictionLogStore log, PredictionLogWriter writer, IOptions<PredictionLogOptions> options) : IPredictionLookup
{
    /// <inheritdoc/>
    public Task<bool> CatchUpAsync(CancellationToken cancellationToken = default) =>
        writer.FlushAsync(options.Value.JoinWait, cancellationToken);

    /// <inheritdoc/>
    public async Task<LoggedAnswer?> FindAsync(string endpoint, string requestId, CancellationToken cancellationToken = default)
    {
        var lines = await log.QueryAsync(new PredictionLogQuery(endpoint, requestId, Limit: 16), cancellationToken);
        foreach (var line in lines)
        {
            if (line.Kind == PredictionKind.Served)
            {
                return new LoggedAnswer(line.Version, line.Department, line.At, Outputs(line));
            }
        }

        return null;
    }

    // The logged outputs (rows of output objects), or {"failure": ...} for a request nothing answered.
    private static JsonElement Outputs(PredictionRecord line)
    {
        if (line.Source == "failed" || line.Outputs.IsEmpty)
        {
            return JsonSerializer.SerializeToElement(new { failure = line.FailureReason ?? line.Source });
        }

        try
        {
            using var document = JsonDocument.Parse(line.Outputs);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // A damaged line cannot be scored; say so rather than fail the whole batch of labels.
            return JsonSerializer.SerializeToElement(new { failure = "the logged outputs are not valid JSON" });
        }
    }
}

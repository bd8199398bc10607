using System.Globalization;
using System.Text;
using System.Text.Json;
using Escala.Core.PredictionLog;
using Escala.Core.Problems;
using Escala.Core.Routing;
using Escala.Onnx;
using Escala.Onnx.Explaining;
using Escala.Server.Predictions;
using Escala.Server.Protocol;
using Escala.Server.Serving;

namespace Escala.Server.Explaining;

/// <summary>One feature's global importance.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="MeanAbsoluteAttribution">Mean |SHAP value| over the rows (and classes).</param>
public sealed record FeatureImportance(string Feature, double MeanAbsoluteAttribution);

/// <summary>Global importance of a version's features over a window of its logged predictions.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Model">The model.</param>
/// <param name="Version">The version.</param>
/// <param name="Method">How the attributions were computed.</param>
/// <param name="Since">Start of the window.</param>
/// <param name="Rows">Logged rows explained.</param>
/// <param name="Skipped">Logged requests that could not be read back (e.g. fields dropped by a privacy policy).</param>
/// <param name="Features">Largest first.</param>
public sealed record ImportanceReport(string Endpoint, string Model, int Version, string Method, DateTimeOffset Since, int Rows, int Skipped, IReadOnlyList<FeatureImportance> Features)
{
    /// <summary>The model card section.</summary>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture,
            $"## Feature importance\n\nMean absolute SHAP value ({Method}) over {Rows} rows served by endpoint `{Endpoint}` since {Since:yyyy-MM-dd HH:mm} UTC.\n\n| feature | mean abs attribution |\n|---|---|\n");
        foreach (var f in Features)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {f.Feature.Replace("|", "\\|", StringComparison.Ordinal)} | {f.MeanAbsoluteAttribution:G4} |\n");
        }

        return md.Append('\n').ToString();
    }
}

/// <summary>
/// Computes global importance (mean absolute attribution, shap's usual summary) of the version an endpoint routes to,
/// over the most recent logged predictions it served in a window: each logged request is read back through the same
/// payload decoders as a live one and explained with the version's explainer.
/// </summary>
public sealed class GlobalImportance(IPredictionLogStore log, ExplainerCache explainers, PredictionFlow flow, TimeProvider time)
{
    /// <summary>The most logged rows explained per report.</summary>
    public const int MaxRows = 500;

    /// <summary>Computes the report for the endpoint's routed version over the last <paramref name="window"/>.</summary>
    public async Task<ImportanceReport> ComputeAsync(string endpoint, TimeSpan window, CancellationToken cancellationToken)
    {
        var snapshot = flow.Resolve(endpoint);
        var (primary, _) = PredictionFlow.Route(snapshot, null, null, null);
        var target = snapshot.Targets[primary];
        if (target.Spec is not LocalModelTarget local || target.Backend is not LocalModelBackend backend)
        {
            throw ProblemTypes.ExplanationUnavailable.With($"The endpoint '{snapshot.Name}' routes to {target.Key}, which Escala's engine does not run.");
        }

        var since = time.GetUtcNow() - window;
        var lines = await log.QueryAsync(new PredictionLogQuery(snapshot.Name, Limit: 5000), cancellationToken);
        var prepared = await explainers.GetAsync(local.Model, local.Version, backend.Session, cancellationToken);
        double[]? totals = null;
        IReadOnlyList<string>? names = null;
        var rows = 0;
        var skipped = 0;
        var method = "";
        foreach (var line in lines.Where(l => l.Kind == PredictionKind.Served && l.Version == target.Key && l.At >= since))
        {
            if (rows >= MaxRows)
            {
                break;
            }

            if (Decode(line.Inputs, backend) is not { } inputs)
            {
                skipped++;
                continue;
            }

            Explanation explanation;
            try
            {
                explanation = prepared.Explainer.Explain(inputs, prepared.Background);
            }
            catch (Exception e) when (e is OnnxException or ExplanationException)
            {
                if (e is ExplanationException)
                {
                    throw ProblemTypes.ExplanationUnavailable.With(e.Message);
                }

                skipped++;
                continue;
            }

            var mean = explanation.MeanAbsolute();
            totals ??= new double[mean.Length];
            for (var f = 0; f < mean.Length && f < totals.Length; f++)
            {
                totals[f] += mean[f] * explanation.Rows;
            }

            names ??= prepared.FeatureNames is { } n && n.Count == explanation.Features.Count ? n : explanation.Features;
            rows += explanation.Rows;
            method = ExplanationMethods.Name(explanation.Method);
        }

        if (rows == 0 || totals is null || names is null)
        {
            throw ProblemTypes.ExplanationUnavailable.With(
                $"No logged prediction of {target.Key} on '{snapshot.Name}' since {since:u} can be read back (logged {lines.Count} lines, {skipped} unreadable); widen the window or raise the endpoint's log sample rate.");
        }

        var features = names.Select((name, f) => new FeatureImportance(name, totals[f] / rows)).OrderByDescending(f => f.MeanAbsoluteAttribution).ToArray();
        return new ImportanceReport(snapshot.Name, local.Model, local.Version, method, since, rows, skipped, features);
    }

    private static IReadOnlyDictionary<string, Onnx.Tensors.OnnxValue>? Decode(ReadOnlyMemory<byte> logged, LocalModelBackend backend)
    {
        try
        {
            using var document = JsonDocument.Parse(logged);
            IPredictionPayload payload;
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                using var wrapped = JsonDocument.Parse("{\"records\":" + document.RootElement.GetRawText() + "}");
                if (!RecordsPayload.TryRead(wrapped.RootElement.Clone(), out var records, out _))
                {
                    return null;
                }

                payload = records;
            }
            else
            {
                payload = OipPayload.Parse(logged.ToArray());
            }

            return payload.TryDecode(backend.Inputs, out var inputs, out _) ? inputs : null;
        }
        catch (Exception e) when (e is JsonException or InferenceProtocolException)
        {
            return null;
        }
    }
}

using System.Text.Json;
using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Core.Routing;
using Escala.Onnx;
using Escala.Onnx.Explaining;
using Escala.Server.Predictions;
using Escala.Server.Protocol;
using Escala.Server.Security;
using Escala.Server.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Escala.Server.Explaining;

/// <summary>
/// Explanations of an endpoint's predictions, on the version its routing picks: <c>POST /v2/models/{endpoint}/explain</c>
/// takes an Open Inference Protocol request, <c>POST /v1/endpoints/{endpoint}/explain</c> records. Query options:
/// <c>method</c> (linear-exact, tree-interventional, tree-path-dependent, sampling-approximate) and
/// <c>permutations</c> (sampling). The inputs are checked against the model's schema exactly as a prediction's are.
/// </summary>
public static class ExplainApi
{
    /// <summary>The most rows one explanation request may hold (explaining costs far more than predicting).</summary>
    public const int MaxRows = 100;

    /// <summary>Maps the two routes.</summary>
    public static IEndpointRouteBuilder MapExplanations(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v2/models/{endpoint}/explain", ExplainOipAsync).RequireRole(Role.Viewer).WithTags("Explanations")
            .WithName("ExplainOip").WithSummary("Attributions of an OIP v2 request's rows to the model's input features, per output and class.");
        app.MapPost("/v1/endpoints/{endpoint}/explain", ExplainRecordsAsync).RequireRole(Role.Viewer).WithTags("Explanations")
            .WithName("ExplainRecords").WithSummary("Attributions of records to the model's input features, per output and class.");
        app.MapGet("/api/v1/endpoints/{endpoint}/importance", ImportanceAsync).RequireRole(Role.Viewer).WithTags("Explanations")
            .WithName("GetImportance").WithSummary("Global importance (mean |SHAP value|) of the routed version's features over logged predictions in ?window= (default 24h).");
        app.MapPost("/api/v1/endpoints/{endpoint}/importance/card", ImportanceCardAsync).RequireRole(Role.Scientist).WithTags("Explanations")
            .WithName("WriteImportanceCard").WithSummary("Computes global importance and writes it into the version's model card.");
        return app;
    }

    private static async Task<Ok<ImportanceReport>> ImportanceAsync(string endpoint, string? window, GlobalImportance importance, CancellationToken ct) =>
        TypedResults.Ok(await importance.ComputeAsync(endpoint, Window(window), ct));

    private static async Task<Ok<ImportanceReport>> ImportanceCardAsync(
        string endpoint, string? window, HttpContext http, GlobalImportance importance, Core.Registry.ModelRegistry registry, CancellationToken ct)
    {
        var report = await importance.ComputeAsync(endpoint, Window(window), ct);
        var version = report.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (_, card, _) = await registry.GetCardAsync(report.Model, version, ct);
        await registry.SetCardAsync(http.GetPrincipal(), report.Model, version, Core.Fairness.FairnessCardSection.Replace(card.Markdown, "## Feature importance", report.ToMarkdown()), ct);
        return TypedResults.Ok(report);
    }

    private static TimeSpan Window(string? text)
    {
        if (text is null)
        {
            return TimeSpan.FromHours(24);
        }

        var unit = text.Length > 1 ? text[^1] : ' ';
        return int.TryParse(text.AsSpan(0, Math.Max(0, text.Length - 1)), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 && unit is 'm' or 'h' or 'd'
            ? unit switch { 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), _ => TimeSpan.FromDays(Math.Min(n, 3650)) }
            : throw ProblemTypes.ValidationFailed.With($"window '{Core.Naming.ResourceName.Printable(text)}' is not a period like 30m, 24h or 7d.");
    }

    private static async Task<JsonHttpResult<ExplanationResponse>> ExplainOipAsync(
        string endpoint, string? method, int? permutations, HttpContext http, PredictionFlow flow, ExplainerCache explainers, IOptions<GatewayOptions> options)
    {
        var body = await PredictionBody.ReadAsync(http.Request, options.Value.MaxPredictionBodyBytes, http.RequestAborted);
        OipPayload payload;
        try
        {
            payload = OipPayload.Parse(body);
        }
        catch (InferenceProtocolException e)
        {
            throw (e.Kind == ProtocolErrorKind.InvalidJson ? ProblemTypes.ValidationFailed : ProblemTypes.InvalidInput).With(e.Message);
        }

        return await ExplainAsync(endpoint, method, permutations, http, flow, explainers, payload);
    }

    private static async Task<JsonHttpResult<ExplanationResponse>> ExplainRecordsAsync(
        string endpoint, string? method, int? permutations, HttpContext http, PredictionFlow flow, ExplainerCache explainers, IOptions<GatewayOptions> options)
    {
        var body = await PredictionBody.ReadAsync(http.Request, options.Value.MaxPredictionBodyBytes, http.RequestAborted);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw ProblemTypes.ValidationFailed.With($"The body is not valid JSON: {e.Message}");
        }

        using (document)
        {
            if (!RecordsPayload.TryRead(document.RootElement, out var payload, out var problem))
            {
                throw ProblemTypes.InvalidInput.With(problem);
            }

            return await ExplainAsync(endpoint, method, permutations, http, flow, explainers, payload);
        }
    }

    private static async Task<JsonHttpResult<ExplanationResponse>> ExplainAsync(
        string endpoint, string? methodName, int? permutations, HttpContext http, PredictionFlow flow, ExplainerCache explainers, IPredictionPayload payload)
    {
        ExplanationMethod? method = methodName is null ? null : ExplanationMethods.Parse(methodName)
            ?? throw ProblemTypes.ValidationFailed.With($"method '{Core.Naming.ResourceName.Printable(methodName)}' is not one of linear-exact, tree-interventional, tree-path-dependent, sampling-approximate.");
        if (permutations is < 2 or > 10_000)
        {
            throw ProblemTypes.ValidationFailed.With("permutations must be between 2 and 10000.");
        }

        if (payload.Rows > MaxRows)
        {
            throw ProblemTypes.ValidationFailed.With($"The request has {payload.Rows} rows; explain at most {MaxRows} per request.");
        }

        var snapshot = flow.Resolve(endpoint);
        var (primary, _) = PredictionFlow.Route(snapshot, PredictionFlow.Department(http), PredictionFlow.Subject(http, null), null);
        var target = snapshot.Targets[primary];
        if (target.Spec is not LocalModelTarget local || target.Backend is not LocalModelBackend backend)
        {
            throw ProblemTypes.ExplanationUnavailable.With(
                $"The endpoint '{snapshot.Name}' routes this request to {target.Key}, which Escala's engine does not run; only registered versions served in process can be explained.");
        }

        if (!payload.TryDecode(backend.Inputs, out var inputs, out var schemaProblem))
        {
            throw ProblemTypes.InvalidInput.With(schemaProblem);
        }

        var prepared = await explainers.GetAsync(local.Model, local.Version, backend.Session, http.RequestAborted);
        var explainOptions = new ExplainOptions { Method = method, Permutations = permutations ?? new ExplainOptions().Permutations };
        Explanation explanation;
        try
        {
            explanation = await Task.Run(() => prepared.Explainer.Explain(inputs, prepared.Background, explainOptions), http.RequestAborted);
        }
        catch (ExplanationException e)
        {
            throw ProblemTypes.ExplanationUnavailable.With(e.Message);
        }
        catch (OnnxException e)
        {
            throw ProblemTypes.InvalidInput.With(e.Message);
        }

        return TypedResults.Json(ExplanationResponse.From(snapshot.Name, local.Model, local.Version, explanation, prepared.FeatureNames), ExplanationJson.Options);
    }
}

/// <summary>The serializer settings of explanation answers (camelCase, nulls left out).</summary>
internal static class ExplanationJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>An explanation as the API answers it.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Model">The model of the version that was explained.</param>
/// <param name="Version">Its version number.</param>
/// <param name="Method">How the values were computed.</param>
/// <param name="Exact">False for the sampling estimate.</param>
/// <param name="Space"><c>margin</c> (scores before the post transform) or <c>output</c>.</param>
/// <param name="BackgroundRows">Rows the expectation is taken over (0: the trees' own cover).</param>
/// <param name="Features">The explained input features.</param>
/// <param name="Outputs">One entry per output column or class.</param>
public sealed record ExplanationResponse(
    string Endpoint, string Model, int Version, string Method, bool Exact, string Space, int BackgroundRows,
    IReadOnlyList<string> Features, IReadOnlyList<ExplainedOutput> Outputs)
{
    /// <summary>Shapes an <see cref="Explanation"/> for the wire, naming features by <paramref name="names"/> when they fit.</summary>
    public static ExplanationResponse From(string endpoint, string model, int version, Explanation explanation, IReadOnlyList<string>? names)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        var features = names is not null && names.Count == explanation.Features.Count && names.Distinct(StringComparer.Ordinal).Count() == names.Count
            ? names
            : explanation.Features;
        var outputs = explanation.Quantities.Select(q => new ExplainedOutput(
            q.Output, q.Class, q.Column, q.ExpectedValue,
            [.. Enumerable.Range(0, explanation.Rows).Select(r => new ExplainedRow(
                q.Predicted[r],
                Row(features, q.Values, r),
                q.StandardErrors is null ? null : Row(features, q.StandardErrors, r)))])).ToArray();
        return new ExplanationResponse(endpoint, model, version, ExplanationMethods.Name(explanation.Method), explanation.IsExact, explanation.Space,
            explanation.BackgroundRows, features, outputs);
    }

    private static Dictionary<string, double> Row(IReadOnlyList<string> features, double[] values, int row)
    {
        var result = new Dictionary<string, double>(features.Count, StringComparer.Ordinal);
        for (var f = 0; f < features.Count; f++)
        {
            result[features[f]] = values[(row * features.Count) + f];
        }

        return result;
    }
}

/// <summary>The attributions of one output column or class.</summary>
/// <param name="Output">The output (for exact methods, the scoring node's score output).</param>
/// <param name="Class">The class label, for a classifier.</param>
/// <param name="Column">The column of the output.</param>
/// <param name="ExpectedValue">The value over the background (expected value + Σ attributions = value).</param>
/// <param name="Rows">Per explained row.</param>
public sealed record ExplainedOutput(string Output, string? Class, int Column, double ExpectedValue, IReadOnlyList<ExplainedRow> Rows);

/// <summary>One row's attributions.</summary>
/// <param name="Value">The explained value (margin or output) for the row.</param>
/// <param name="Attributions">Per feature.</param>
/// <param name="StandardErrors">Per feature, for the sampling estimate.</param>
public sealed record ExplainedRow(double Value, IReadOnlyDictionary<string, double> Attributions, IReadOnlyDictionary<string, double>? StandardErrors);

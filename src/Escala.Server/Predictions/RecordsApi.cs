using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Server.Hosting;
using Escala.Server.PredictionLog;
using Escala.Server.Problems;
using Escala.Server.Security;
using Escala.Server.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Escala.Server.Predictions;

/// <summary>
/// The records API: <c>POST /v1/endpoints/{endpoint}/predict</c> with <c>{"records": [{feature: value}, ...]}</c>,
/// answered with one prediction object per record, the version that answered, whether it was a
/// fallback and the request id. <c>/v1/endpoints/{endpoint}/versions/{version}/predict</c> pins a version.
/// </summary>
public static class RecordsApi
{
    /// <summary>Maps the records routes.</summary>
    public static IEndpointRouteBuilder MapRecordsPredictions(this IEndpointRouteBuilder app)
    {
        var limit = app.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxPredictionBodyBytes;
        var group = app.MapGroup("/v1/endpoints").WithTags("Predictions");
        group.MapPost("/{endpoint}/predict", (string endpoint, HttpContext http, PredictionFlow flow, IOptions<GatewayOptions> options) =>
                PredictAsync(endpoint, null, http, flow, options.Value))
            .RequireRole(Role.Viewer).WithBodySizeLimit(limit)
            .WithName("PredictRecords").WithSummary("Predicts for records (objects of features by name); the endpoint's routing picks the version.");
        group.MapPost("/{endpoint}/versions/{version}/predict", (string endpoint, string version, HttpContext http, PredictionFlow flow, IOptions<GatewayOptions> options) =>
                PredictAsync(endpoint, version, http, flow, options.Value))
            .RequireRole(Role.Viewer).WithBodySizeLimit(limit)
            .WithName("PredictRecordsPinned").WithSummary("Predicts for records with one version of the endpoint (e.g. a blue-green standby, before switching).");
        return app;
    }

    private static async Task PredictAsync(string endpoint, string? version, HttpContext http, PredictionFlow flow, GatewayOptions options)
    {
        var started = Stopwatch.GetTimestamp();
        var requestId = PredictionFlow.NewRequestId();
        http.Response.Headers[PredictionFlow.RequestIdHeader] = requestId;
        try
        {
            var snapshot = flow.Resolve(endpoint);
            var department = PredictionFlow.Department(http);
            var body = await PredictionBody.ReadAsync(http.Request, options.MaxPredictionBodyBytes, http.RequestAborted);
            using var document = Parse(body);
            if (!RecordsPayload.TryRead(document.RootElement, out var payload, out var shapeProblem))
            {
                throw ProblemTypes.InvalidInput.With(shapeProblem);
            }

            var subjectField = snapshot.Endpoint.Settings.SubjectField;
            var subject = PredictionFlow.Subject(http, payload.Subject ?? (subjectField is null ? null : payload.FieldOfFirstRecord(subjectField)));
            var (primary, shadow) = PredictionFlow.Route(snapshot, department, subject, version);
            var context = flow.Context(requestId, snapshot, department, subject, started) with { UserKey = flow.UserKey(http) };

            var outcome = await flow.RunAsync(context, primary, payload, http.RequestAborted);
            if (outcome.Status != PredictionStatus.Answered)
            {
                await flow.LogAsync(context, outcome, default, default);
                flow.Complete(context, outcome, -1, payload, default);
                throw PredictionFlow.ProblemFor(outcome);
            }

            var predictions = Predictions(outcome, payload.Rows);

            // The line is queued (durable mode: committed) before the answer leaves, so a label posted as soon as
            // the answer arrives finds it at least queued.
            var logged = PredictionRecorder.InSample(context);
            var loggedInputs = logged ? Raw(payload.Records) : default;
            await flow.LogAsync(context, outcome, loggedInputs, logged ? predictions.WrittenSpan.ToArray() : default);
            PredictionFlow.WriteAnswerHeaders(http.Response, outcome);
            await WriteAnswerAsync(http.Response, context, outcome, predictions.WrittenMemory, payload.Rows);
            flow.Complete(context, outcome, shadow, payload, loggedInputs);
        }
        catch (ProblemException problem)
        {
            await ProblemResponses.WriteAsync(http, problem);
        }
        catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await ProblemResponses.WriteAsync(http, ProblemTypes.PayloadTooLarge,
                $"The body is over {options.MaxPredictionBodyBytes} bytes, the limit for prediction requests. Split the rows over several requests.");
        }
    }

    private static JsonDocument Parse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw ProblemTypes.ValidationFailed.With($"The body is not valid JSON: {e.Message}");
        }
    }

    private static ArrayBufferWriter<byte> Predictions(PredictionOutcome outcome, int rows)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(buffer);
        if (outcome.Outputs is { } outputs)
        {
            RecordsAnswer.WritePredictions(writer, outcome.Target!.Backend.Outputs, outputs, rows);
        }
        else
        {
            RecordsAnswer.WriteDefault(writer, outcome.DefaultAnswer!.Value, rows);
        }

        writer.Flush();
        return buffer;
    }

    private static async Task WriteAnswerAsync(HttpResponse response, PredictionContext context, PredictionOutcome outcome, ReadOnlyMemory<byte> predictions, int rows)
    {
        var buffer = new ArrayBufferWriter<byte>(predictions.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("requestId", context.RequestId);
            writer.WriteString("endpoint", context.Snapshot.Name);
            writer.WriteString("version", outcome.Version);
            writer.WriteBoolean("fallback", outcome.IsFallback);
            writer.WriteString("source", PredictionRecorder.SourceName(outcome));
            if (outcome.IsFallback)
            {
                writer.WriteString("fallbackReason", $"{outcome.RoutedFailure.ToString().ToLowerInvariant()}: {outcome.Detail}");
            }

            writer.WritePropertyName("predictions");
            writer.WriteRawValue(predictions.Span, skipInputValidation: true);
            if (outcome.Outputs is { } outputs && RecordsAnswer.HasExtra(outputs, rows))
            {
                writer.WritePropertyName("extra");
                RecordsAnswer.WriteExtra(writer, outcome.Target!.Backend.Outputs, outputs, rows);
            }

            writer.WriteEndObject();
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, response.HttpContext.RequestAborted);
    }

    private static byte[] Raw(JsonElement element) => System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element).ToArray();
}

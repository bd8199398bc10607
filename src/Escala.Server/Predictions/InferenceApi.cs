using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Onnx.Tensors;
using Escala.Server.Endpoints;
using Escala.Server.Hosting;
using Escala.Server.PredictionLog;
using Escala.Server.Problems;
using Escala.Server.Protocol;
using Escala.Server.Security;
using Escala.Server.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Escala.Server.Predictions;

/// <summary>
/// The Open Inference Protocol v2 REST API, with Escala endpoints as its models:
/// <c>/v2/health/live</c>, <c>/v2/health/ready</c>, <c>/v2/models/{endpoint}</c> (metadata),
/// <c>/v2/models/{endpoint}/ready</c>, <c>/v2/models/{endpoint}/infer</c> (the endpoint's routing picks the
/// version) and <c>/v2/models/{endpoint}/versions/{version}/infer</c> (a pinned version). Answers carry
/// <c>model_version</c> and <c>parameters</c> (<c>escala_request_id</c>, <c>escala_fallback</c>,
/// <c>escala_source</c>) as well as the <c>X-Escala-*</c> headers.
/// </summary>
public static class InferenceApi
{
    /// <summary>Maps the v2 routes.</summary>
    public static IEndpointRouteBuilder MapInference(this IEndpointRouteBuilder app)
    {
        var limit = app.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxPredictionBodyBytes;
        var v2 = app.MapGroup("/v2").WithTags("Open Inference Protocol");
        // Health probes are for load balancers and orchestrators: anonymous, and they reveal nothing.
        v2.MapGet("/health/live", () => TypedResults.Ok(new { live = true })).AllowAnonymous()
            .WithName("Live").WithSummary("The server process is up.");
        v2.MapGet("/health/ready", Ready).AllowAnonymous()
            .WithName("Ready").WithSummary("Every endpoint is loaded and every version it routes to can answer (503 while one cannot be loaded: a corrupt artifact, a backend down; it turns ready again by itself once it loads).");
        v2.MapGet("/models/{endpoint}", Metadata).RequireRole(Role.Viewer)
            .WithName("ModelMetadata").WithSummary("The endpoint's inputs and outputs (of the version serving by default) and its versions.");
        v2.MapGet("/models/{endpoint}/ready", ModelReady).RequireRole(Role.Viewer)
            .WithName("ModelReady").WithSummary("Whether the endpoint's default version is loaded and its circuit closed (503 when not).");
        v2.MapPost("/models/{endpoint}/infer", (string endpoint, HttpContext http, PredictionFlow flow, IOptions<GatewayOptions> options) =>
                InferAsync(endpoint, null, http, flow, options.Value))
            .RequireRole(Role.Viewer).WithBodySizeLimit(limit)
            .WithName("Infer").WithSummary("Runs an Open Inference Protocol v2 request on the version the endpoint's routing picks.");
        v2.MapPost("/models/{endpoint}/versions/{version}/infer", (string endpoint, string version, HttpContext http, PredictionFlow flow, IOptions<GatewayOptions> options) =>
                InferAsync(endpoint, version, http, flow, options.Value))
            .RequireRole(Role.Viewer).WithBodySizeLimit(limit)
            .WithName("InferVersion").WithSummary("Runs an Open Inference Protocol v2 request on one version of the endpoint (key like credit:2, or its number).");
        return app;
    }

    // Ready only when what is deployed can be served: an endpoint whose version cannot load answers 503 (or from its
    // fallback), and a load balancer should know before sending it traffic.
    private static Results<Ok<ReadyResponse>, JsonHttpResult<ReadyResponse>> Ready(GatewayStartup startup, LiveEndpoints live) =>
        startup.IsReady && live.All.All(s => s.IsFullyAvailable)
            ? TypedResults.Ok(new ReadyResponse(true))
            : TypedResults.Json(new ReadyResponse(false), statusCode: StatusCodes.Status503ServiceUnavailable);

    private static Results<Ok<ModelReadyResponse>, JsonHttpResult<ModelReadyResponse>> ModelReady(string endpoint, PredictionFlow flow)
    {
        var snapshot = flow.Resolve(endpoint);
        var live = LiveTarget(snapshot);
        var ready = live is not null && live.Backend.IsAvailable && live.Guard.State == Polly.CircuitBreaker.CircuitState.Closed;
        var body = new ModelReadyResponse(endpoint, ready, live?.Key);
        return ready ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static Ok<ModelMetadataResponse> Metadata(string endpoint, PredictionFlow flow)
    {
        var snapshot = flow.Resolve(endpoint);
        var live = LiveTarget(snapshot) ?? snapshot.Targets.FirstOrDefault(t => t.Backend.IsAvailable)
            ?? throw ProblemTypes.NotDeployed.With($"Nothing that can answer is deployed to the endpoint '{endpoint}'.");
        return TypedResults.Ok(new ModelMetadataResponse(
            endpoint,
            [.. snapshot.Plan.Targets],
            "escala",
            [.. live.Backend.Inputs.Select(TensorMetadata.From)],
            [.. live.Backend.Outputs.Select(TensorMetadata.From)]));
    }

    private static TargetRuntime? LiveTarget(ServingSnapshot snapshot) =>
        snapshot.Endpoint.Routing.Default is { } policy && snapshot.Plan.IndexOf(policy.Live) is var i and >= 0 ? snapshot.Targets[i] : null;

    private static async Task InferAsync(string endpoint, string? version, HttpContext http, PredictionFlow flow, GatewayOptions options)
    {
        var started = Stopwatch.GetTimestamp();
        var requestId = PredictionFlow.NewRequestId();
        http.Response.Headers[PredictionFlow.RequestIdHeader] = requestId;
        try
        {
            var snapshot = flow.Resolve(endpoint);
            var department = PredictionFlow.Department(http);
            var body = await PredictionBody.ReadAsync(http.Request, options.MaxPredictionBodyBytes, http.RequestAborted);
            OipPayload payload;
            try
            {
                payload = OipPayload.Parse(body);
            }
            catch (InferenceProtocolException e)
            {
                throw (e.Kind == ProtocolErrorKind.InvalidJson ? ProblemTypes.ValidationFailed : ProblemTypes.InvalidInput).With(e.Message);
            }

            var subject = PredictionFlow.Subject(http, null);
            if (subject is null && snapshot.NeedsSubject)
            {
                subject = OipPayload.ParameterOf(body, snapshot.Endpoint.Settings.SubjectField ?? "subject");
            }

            var (primary, shadow) = PredictionFlow.Route(snapshot, department, subject, version);
            var context = flow.Context(requestId, snapshot, department, subject, started) with
            {
                UserKey = flow.UserKey(http, body),
            };
            var outcome = await flow.RunAsync(context, primary, payload, http.RequestAborted);
            if (outcome.Status != PredictionStatus.Answered)
            {
                await flow.LogAsync(context, outcome, default, default);
                flow.Complete(context, outcome, -1, payload, default);
                throw PredictionFlow.ProblemFor(outcome);
            }

            var outputs = Outputs(outcome, payload, snapshot.Targets[primary]);
            var answer = Answer(context, outcome, payload, outputs);

            // The line is queued (durable mode: committed) before the answer leaves; see RecordsApi.
            var logged = PredictionRecorder.InSample(context);
            await flow.LogAsync(context, outcome, logged ? payload.Body : default, logged ? LoggedOutputs(outputs, payload.Rows) : default);
            PredictionFlow.WriteAnswerHeaders(http.Response, outcome);
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.ContentLength = answer.Length;
            await http.Response.Body.WriteAsync(answer, http.RequestAborted);
            flow.Complete(context, outcome, shadow, payload, logged ? payload.Body : default);
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

    // The outputs the caller asked for (all when none named), in the model's order.
    private static IReadOnlyList<NamedValue> Outputs(PredictionOutcome outcome, OipPayload payload, TargetRuntime routed)
    {
        IReadOnlyList<NamedValue> all;
        if (outcome.Outputs is { } values)
        {
            var order = outcome.Target!.Backend.Outputs;
            var list = new List<NamedValue>(values.Count);
            foreach (var info in order)
            {
                if (values.TryGetValue(info.Name, out var v) && v is OnnxTensor or OnnxMapSequence)
                {
                    list.Add(new NamedValue(info.Name, v));
                }
            }

            // Outputs an external backend returns without declaring them are passed on too.
            foreach (var (name, v) in values)
            {
                if (!order.Any(o => o.Name == name) && v is OnnxTensor or OnnxMapSequence)
                {
                    list.Add(new NamedValue(name, v));
                }
            }

            all = list;
        }
        else
        {
            all = DefaultAnswerValues.Build(outcome.DefaultAnswer!.Value, payload.Rows, routed.Backend.Outputs);
        }

        if (payload.RequestedOutputs is not { Count: > 0 } requested)
        {
            return all;
        }

        var missing = requested.FirstOrDefault(r => !all.Any(o => o.Name == r));
        return missing is null
            ? [.. all.Where(o => requested.Contains(o.Name))]
            : throw ProblemTypes.InvalidInput.With($"The request asks for output '{missing}', which the answer does not have (its outputs: {string.Join(", ", all.Select(o => o.Name))}).");
    }

    private static byte[] Answer(PredictionContext context, PredictionOutcome outcome, OipPayload payload, IReadOnlyList<NamedValue> outputs)
    {
        var body = InferenceResponseWriter.ToBytes(context.Snapshot.Name, outcome.Version, payload.Id ?? context.RequestId, outputs);
        var buffer = new ArrayBufferWriter<byte>(body.Length + 160);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("parameters"u8);
            writer.WriteString("escala_request_id"u8, context.RequestId);
            writer.WriteBoolean("escala_fallback"u8, outcome.IsFallback);
            writer.WriteString("escala_source"u8, PredictionRecorder.SourceName(outcome));
            if (outcome.IsFallback)
            {
                writer.WriteString("escala_fallback_reason"u8, $"{outcome.RoutedFailure.ToString().ToLowerInvariant()}: {outcome.Detail}");
            }

            writer.WriteEndObject();
            writer.Flush();
        }

        // The codec writes the protocol's fields; the parameters object goes in front of them in the same JSON object.
        buffer.Write(","u8);
        buffer.Write(body.AsSpan(1));
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] LoggedOutputs(IReadOnlyList<NamedValue> outputs, int rows)
    {
        var values = outputs.ToDictionary(o => o.Name, o => o.Value, StringComparer.Ordinal);
        var order = outputs.Select(o => new OnnxValueInfo(o.Name, o.Value.Type)).ToArray();
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            RecordsAnswer.WritePredictions(writer, order, values, rows);
        }

        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>The server's readiness.</summary>
public sealed record ReadyResponse(bool Ready);

/// <summary>An endpoint's readiness and the version serving by default.</summary>
public sealed record ModelReadyResponse(string Name, bool Ready, string? Version);

/// <summary>Open Inference Protocol model metadata.</summary>
public sealed record ModelMetadataResponse(string Name, IReadOnlyList<string> Versions, string Platform, IReadOnlyList<TensorMetadata> Inputs, IReadOnlyList<TensorMetadata> Outputs);

/// <summary>One input or output: name, v2 datatype and shape (-1 for a dynamic dimension).</summary>
public sealed record TensorMetadata(string Name, string Datatype, IReadOnlyList<long> Shape)
{
    /// <summary>The metadata of a model input or output.</summary>
    public static TensorMetadata From(OnnxValueInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var type = info.Type;
        if (type.Kind == OnnxTypeKind.Tensor)
        {
            return new TensorMetadata(info.Name, OipDatatype.FromElementType(type.ElementType), [.. (type.Shape ?? []).Select(d => d.Value ?? -1)]);
        }

        return new TensorMetadata(info.Name, OipDatatype.SequenceOfMaps, [-1]);
    }
}

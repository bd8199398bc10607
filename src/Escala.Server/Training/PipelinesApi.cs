using System.Text;
using Escala.Core.Access;
using Escala.Core.Pipelines;
using Escala.Server.Security;
using Escala.Training.Pipelines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Training;

/// <summary>A manual run's parameters (over the pipeline's defaults).</summary>
public sealed record StartRunRequest(IReadOnlyDictionary<string, string>? Parameters = null);

/// <summary>Pipelines and their runs over HTTP: <c>/api/v1/pipelines</c> and <c>/api/v1/pipeline-runs</c>.</summary>
public static class PipelinesApi
{
    /// <summary>Maps the pipeline routes.</summary>
    public static IEndpointRouteBuilder MapPipelines(this IEndpointRouteBuilder app)
    {
        var pipelines = app.MapGroup("/api/v1/pipelines").WithTags("Pipelines");
        pipelines.MapPost("/", Apply).RequireRole(Role.Scientist)
            .WithName("ApplyPipeline").WithSummary("Checks and stores a pipeline: the YAML file as the body (application/yaml or text/plain).");
        pipelines.MapGet("/", List).RequireRole(Role.Viewer)
            .WithName("ListPipelines").WithSummary("Every pipeline's latest revision.");
        pipelines.MapGet("/{name}", Get).RequireRole(Role.Viewer)
            .WithName("GetPipeline").WithSummary("A pipeline's latest revision with its YAML.");
        pipelines.MapPost("/{name}/runs", Start).RequireRole(Role.Scientist)
            .WithName("StartPipelineRun").WithSummary("Queues a manual run; the scheduler executes it.");

        var runs = app.MapGroup("/api/v1/pipeline-runs").WithTags("Pipelines");
        runs.MapGet("/", Runs).RequireRole(Role.Viewer)
            .WithName("ListPipelineRuns").WithSummary("Runs, newest first (?pipeline=NAME&limit=N).");
        runs.MapGet("/{id:long}", Show).RequireRole(Role.Viewer)
            .WithName("GetPipelineRun").WithSummary("A run with its steps: status, times, inputs, outputs, cache reuse and reasons.");
        runs.MapGet("/{id:long}/steps/{step}/log", Log).RequireRole(Role.Viewer)
            .WithName("GetPipelineStepLog").WithSummary("One step's log as text.");
        runs.MapPost("/{id:long}/cancel", Cancel).RequireRole(Role.Scientist)
            .WithName("CancelPipelineRun").WithSummary("Cancels a queued run, or stops a running one at its current step.");
        return app;
    }

    private static async Task<Created<PipelineRecord>> Apply(HttpContext http, PipelineCatalog catalog, CancellationToken ct)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var saved = await catalog.ApplyAsync(http.GetPrincipal(), await reader.ReadToEndAsync(ct), ct);
        return TypedResults.Created($"/api/v1/pipelines/{saved.Name}", saved);
    }

    private static async Task<Ok<PipelineRecord[]>> List(PipelineCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok((await catalog.ListAsync(ct)).ToArray());

    private static async Task<Ok<PipelineRecord>> Get(string name, PipelineCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.GetAsync(name, ct));

    private static async Task<Accepted<PipelineRun>> Start(string name, StartRunRequest? body, HttpContext http, PipelineCatalog catalog, CancellationToken ct)
    {
        var run = await catalog.RunAsync(http.GetPrincipal(), name, body?.Parameters, ct);
        return TypedResults.Accepted($"/api/v1/pipeline-runs/{run.Id}", run);
    }

    private static async Task<Ok<PipelineRun[]>> Runs(string? pipeline, int? limit, PipelineCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok((await catalog.RunsAsync(pipeline, limit ?? 50, ct)).ToArray());

    private static async Task<Ok<RunView>> Show(long id, PipelineCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.ShowAsync(id, ct));

    private static async Task<ContentHttpResult> Log(long id, string step, PipelineCatalog catalog, CancellationToken ct) =>
        TypedResults.Text((await catalog.StepAsync(id, step, ct)).Log, "text/plain; charset=utf-8");

    private static async Task<Ok<PipelineRun>> Cancel(long id, HttpContext http, PipelineCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.CancelAsync(http.GetPrincipal(), id, ct));
}

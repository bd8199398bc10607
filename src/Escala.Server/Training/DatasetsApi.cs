using Escala.Core.Access;
using Escala.Core.Datasets;
using Escala.Core.Problems;
using Escala.Server.Hosting;
using Escala.Server.Security;
using Escala.Training.Datasets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Training;

/// <summary>A dataset built from an endpoint's labelled production traffic.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Since">Predictions made at or after this time.</param>
/// <param name="LabelColumn">The label's column name (default <c>label</c>).</param>
/// <param name="Positive">How a positive binary truth is written (default <c>1</c>).</param>
/// <param name="Negative">How a negative binary truth is written (default <c>0</c>).</param>
public sealed record FromFeedbackRequest(string Endpoint, DateTimeOffset Since, string? LabelColumn = null, string? Positive = null, string? Negative = null);

/// <summary>Datasets over HTTP: <c>/api/v1/datasets</c>.</summary>
public static class DatasetsApi
{
    /// <summary>Maps the dataset routes.</summary>
    public static IEndpointRouteBuilder MapDatasets(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<EscalaServerOptions>();
        var datasets = app.MapGroup("/api/v1/datasets").WithTags("Datasets");
        datasets.MapGet("/", List).RequireRole(Role.Viewer)
            .WithName("ListDatasets").WithSummary("Every dataset version with its fingerprint, rows and columns.");
        datasets.MapGet("/{reference}", Get).RequireRole(Role.Viewer)
            .WithName("GetDataset").WithSummary("One dataset version: NAME (the latest) or NAME@VERSION.");
        datasets.MapPost("/{name}", Upload).RequireRole(Role.Scientist).WithBodySizeLimit(options.MaxArtifactBytes)
            .WithName("UploadDataset").WithSummary("Stores the CSV body (text/csv) as the dataset's next version.");
        datasets.MapPost("/{name}/from-feedback", FromFeedback).RequireRole(Role.Scientist)
            .WithName("DatasetFromFeedback").WithSummary("A new version from an endpoint's labelled predictions: logged inputs plus the label.");
        return app;
    }

    private static async Task<Ok<DatasetVersion[]>> List(DatasetCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok((await catalog.ListAsync(ct)).ToArray());

    private static async Task<Ok<DatasetVersion>> Get(string reference, DatasetCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.GetAsync(reference, ct));

    private static async Task<Created<DatasetVersion>> Upload(string name, HttpContext http, DatasetCatalog catalog, CancellationToken ct)
    {
        var type = http.Request.ContentType;
        if (type is not null && !(type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase)))
        {
            throw ProblemTypes.UnsupportedMediaType.With($"Send the CSV file as the body with Content-Type text/csv, not {type}.");
        }

        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, ct);
        var version = await catalog.UploadAsync(http.GetPrincipal(), name, body.ToArray(), cancellationToken: ct);
        return TypedResults.Created($"/api/v1/datasets/{version.Name}@{version.Version}", version);
    }

    private static async Task<Created<DatasetVersion>> FromFeedback(string name, FromFeedbackRequest body, HttpContext http, DatasetCatalog catalog, CancellationToken ct)
    {
        var version = await catalog.FromFeedbackAsync(http.GetPrincipal(), name, body.Endpoint, body.Since, body.LabelColumn ?? "label",
            body.Positive ?? "1", body.Negative ?? "0", ct);
        return TypedResults.Created($"/api/v1/datasets/{version.Name}@{version.Version}", version);
    }
}

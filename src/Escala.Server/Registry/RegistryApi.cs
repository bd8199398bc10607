using Escala.Core.Access;
using Escala.Core.Artifacts;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Registry;
using Escala.Server.Hosting;
using Escala.Server.Monitoring.Baselines;
using Escala.Server.Pages;
using Escala.Server.Pages.Cards;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Registry;

/// <summary>The model registry over HTTP: <c>/api/v1/models</c> and <c>/api/v1/lineage</c>.</summary>
public static class RegistryApi
{
    /// <summary>Maps the registry routes.</summary>
    public static IEndpointRouteBuilder MapRegistry(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<EscalaServerOptions>();
        var models = app.MapGroup("/api/v1/models").WithTags("Registry");

        models.MapGet("/", ListModels).RequireRole(Role.Viewer)
            .WithName("ListModels").WithSummary("Lists models with their version counts.");
        models.MapGet("/{model}", GetModel).RequireRole(Role.Viewer)
            .WithName("GetModel").WithSummary("A model with its versions and aliases.");
        models.MapPatch("/{model}", UpdateModel).RequireRole(Role.Scientist)
            .WithName("UpdateModel").WithSummary("Changes a model's description (scientist), department or four-eyes setting (admin).");
        models.MapGet("/{model}/versions", ListVersions).RequireRole(Role.Viewer)
            .WithName("ListVersions").WithSummary("A model's versions.");
        models.MapPost("/{model}/versions", RegisterVersion).RequireRole(Role.Scientist)
            .WithBodySizeLimit(options.MaxArtifactBytes + ModelUpload.MaxMetadataBytes + ModelUpload.MaxBaselineBytes + (64 * 1024))
            // No Accepts<T>() here: routing would answer a wrong content type with 415 before the role check.
            .WithName("RegisterVersion")
            .WithDescription("Send multipart/form-data: the ONNX file in a part named 'file' and, optionally, a JSON part named 'metadata' " +
                "(RegisterVersionMetadata: description, department, requireApproval, metrics, params, tags, dataFingerprint, codeRevision, pipelineRun, parent, card) " +
                "and a reference CSV named 'baseline' profiled as the version's baseline.")
            .WithSummary("Registers the next version from an ONNX upload: multipart part 'file' (the model), optional 'metadata' (JSON) and 'baseline' (CSV).");
        models.MapGet("/{model}/versions/{version}", GetVersion).RequireRole(Role.Viewer)
            .WithName("GetVersion").WithSummary("A version by number, alias or 'latest'.");
        models.MapGet("/{model}/versions/{version}/artifact", DownloadArtifact).RequireRole(Role.Viewer)
            .WithName("DownloadArtifact").WithSummary("The version's ONNX file, verified against its SHA-256 before it is sent.");
        models.MapGet("/{model}/versions/{version}/card", GetCard).RequireRole(Role.Viewer)
            .WithName("GetCard").WithSummary("The version's model card as markdown (generated from metadata when none was written).");
        models.MapGet("/{model}/versions/{version}/card/html", GetCardHtml).RequireRole(Role.Viewer)
            .WithName("GetCardHtml").WithSummary("The version's model card rendered as an HTML page.");
        models.MapPut("/{model}/versions/{version}/card", SetCard).RequireRole(Role.Scientist)
            .WithName("SetCard").WithSummary("Writes or replaces the version's model card (markdown).");
        models.MapGet("/{model}/versions/{version}/lineage", GetLineage).RequireRole(Role.Viewer)
            .WithName("GetLineage").WithSummary("The version's lineage: its ancestors and the versions derived from it.");
        models.MapPost("/{model}/versions/{version}/stage", ChangeStage).RequireRole(Role.Scientist)
            .WithName("ChangeStage").WithSummary("Moves the version to a stage; production may open a four-eyes approval request (202).");
        models.MapGet("/{model}/aliases", ListAliases).RequireRole(Role.Viewer)
            .WithName("ListAliases").WithSummary("A model's aliases.");
        models.MapPut("/{model}/aliases/{alias}", SetAlias).RequireRole(Role.Scientist)
            .WithName("SetAlias").WithSummary("Points an alias (champion, challenger, any name) at a version.");
        models.MapDelete("/{model}/aliases/{alias}", RemoveAlias).RequireRole(Role.Scientist)
            .WithName("RemoveAlias").WithSummary("Removes an alias.");

        models.MapGet("/{model}/grants", ListGrants).RequireRole(Role.Viewer)
            .WithName("ListGrants").WithSummary("The departments the model's department lets serve it.");
        models.MapPut("/{model}/grants/{department}", Grant).RequireRole(Role.Approver)
            .WithName("GrantModel").WithSummary("Lets another department's operators serve the model (an approver of the model's department).");
        models.MapDelete("/{model}/grants/{department}", RevokeGrant).RequireRole(Role.Approver)
            .WithName("RevokeModelGrant").WithSummary("Withdraws a grant.");

        app.MapGet("/api/v1/lineage", FindLineage).RequireRole(Role.Viewer).WithTags("Registry")
            .WithName("FindLineage").WithSummary("Versions by training-data fingerprint, pipeline run, code revision or parent (model:version).");
        return app;
    }

    private static async Task<Ok<ModelResponse[]>> ListModels(ModelRegistry registry, CancellationToken ct) =>
        TypedResults.Ok((await registry.ListModelsAsync(ct)).Select(ModelResponse.From).ToArray());

    private static async Task<Ok<ModelDetailResponse>> GetModel(string model, ModelRegistry registry, VersionBaselines baselines, CancellationToken ct)
    {
        var found = await registry.GetModelAsync(model, ct);
        var versions = await registry.ListVersionsAsync(model, ct);
        var aliases = await registry.ListAliasesAsync(model, ct);
        var summaries = await baselines.SummariesAsync(model, ct);
        return TypedResults.Ok(new ModelDetailResponse(
            found.Name, found.Description, found.Department, found.RequireApproval, found.CreatedAt, found.CreatedBy, found.UpdatedAt,
            [.. versions.Select(v => VersionResponse.From(v, aliases) with { Baseline = summaries.GetValueOrDefault(v.Version) })],
            aliases.ToDictionary(a => a.Alias, a => a.Version, StringComparer.Ordinal)));
    }

    private static async Task<Ok<ModelResponse>> UpdateModel(string model, UpdateModelRequest body, HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        await registry.UpdateModelAsync(http.GetPrincipal(), model, new ModelChange(body.Description, body.Department, body.RequireApproval), ct);
        var summary = (await registry.ListModelsAsync(ct)).First(s => s.Model.Name == model);
        return TypedResults.Ok(ModelResponse.From(summary));
    }

    private static async Task<Ok<VersionResponse[]>> ListVersions(string model, ModelRegistry registry, VersionBaselines baselines, CancellationToken ct)
    {
        var versions = await registry.ListVersionsAsync(model, ct);
        var aliases = await registry.ListAliasesAsync(model, ct);
        var summaries = await baselines.SummariesAsync(model, ct);
        return TypedResults.Ok(versions.Select(v => VersionResponse.From(v, aliases) with { Baseline = summaries.GetValueOrDefault(v.Version) }).ToArray());
    }

    private static async Task<Created<VersionResponse>> RegisterVersion(
        string model, HttpContext http, ModelRegistry registry, IModelInspector inspector, IArtifactStore artifacts, EscalaServerOptions options,
        Explaining.ExplanationBackgrounds backgrounds, CancellationToken ct)
    {
        using var upload = await ModelUpload.ReadAsync(http.Request, artifacts, options.MaxArtifactBytes, ct);
        var (metadata, file, csv) = (upload.Metadata, upload.File, upload.Baseline);

        // A baseline is profiled (and checked line by line against the model's inputs) before anything is stored.
        var baseline = csv is { } reference ? BaselinesApi.Profile(reference, file, inspector, null) : null;
        var request = new RegistrationRequest(
            model, metadata.Description, metadata.Department, metadata.RequireApproval, metadata.Metrics, metadata.Params,
            metadata.Tags, metadata.DataFingerprint, metadata.CodeRevision, metadata.PipelineRun, metadata.Parent, metadata.Card, baseline);
        var version = await registry.RegisterAsync(http.GetPrincipal(), request, file, ct);
        if (csv is { } table)
        {
            await backgrounds.CaptureAsync(http.GetPrincipal(), version.Model, version.Version, table, ct);
        }
        var summary = baseline is null ? null : new StoredBaseline(version.Model, version.Version, baseline, BaselineSource.Reference, version.CreatedAt, version.CreatedBy).Summary();
        return TypedResults.Created($"/api/v1/models/{version.Model}/versions/{version.Version}", VersionResponse.From(version, []) with { Baseline = summary });
    }

    private static async Task<Ok<VersionResponse>> GetVersion(string model, string version, ModelRegistry registry, VersionBaselines baselines, CancellationToken ct)
    {
        var found = await registry.GetVersionAsync(model, version, ct);
        var baseline = await baselines.FindAsync(found.Model, found.Version, ct);
        return TypedResults.Ok(VersionResponse.From(found, await registry.ListAliasesAsync(model, ct)) with { Baseline = baseline?.Summary() });
    }

    private static async Task<FileContentHttpResult> DownloadArtifact(string model, string version, HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var (found, bytes) = await registry.LoadArtifactAsync(model, version, ct);
        http.Response.Headers["X-Escala-Sha256"] = found.Artifact.Sha256;
        return TypedResults.File(bytes, "application/octet-stream", $"{found.Model}-v{found.Version}.onnx",
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{found.Artifact.Sha256}\""));
    }

    private static async Task<Ok<CardResponse>> GetCard(string model, string version, ModelRegistry registry, CancellationToken ct)
    {
        var (_, card, generated) = await registry.GetCardAsync(model, version, ct);
        return TypedResults.Ok(new CardResponse(card.Model, card.Version, card.Markdown, generated, card.UpdatedAt, card.UpdatedBy));
    }

    private static async Task<ContentHttpResult> GetCardHtml(string model, string version, HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var owner = await registry.GetModelAsync(model, ct);
        var (found, card, _) = await registry.GetCardAsync(model, version, ct);
        // The card is user-written: forbid scripts and remote content even though the renderer already escapes everything.
        http.Response.Headers.ContentSecurityPolicy = PageLayout.StandalonePolicy;
        return TypedResults.Content(ModelCardPage.Render(owner, found, card), "text/html; charset=utf-8");
    }

    private static async Task<Ok<CardResponse>> SetCard(string model, string version, CardRequest body, HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var card = await registry.SetCardAsync(http.GetPrincipal(), model, version, body.Markdown, ct);
        return TypedResults.Ok(new CardResponse(card.Model, card.Version, card.Markdown, false, card.UpdatedAt, card.UpdatedBy));
    }

    private static async Task<Ok<LineageView>> GetLineage(string model, string version, ModelRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(await registry.GetLineageAsync(model, version, ct));

    private static async Task<Results<Ok<StageChangeResponse>, Accepted<StageChangeResponse>>> ChangeStage(
        string model, string version, StageChangeRequest body, HttpContext http, ModelRegistry registry, Promotions promotions, CancellationToken ct)
    {
        var target = StageTransitions.Parse(body.Stage);
        var current = await registry.GetVersionAsync(model, version, ct);
        var outcome = await promotions.RequestAsync(http.GetPrincipal(), model, current.Version, target, body.Comment, ct);
        var response = new StageChangeResponse(VersionResponse.From(outcome.Version, await registry.ListAliasesAsync(model, ct)), outcome.PendingApproval);
        return outcome.PendingApproval is { } pending
            ? TypedResults.Accepted($"/api/v1/approvals/{pending.Id}", response)
            : TypedResults.Ok(response);
    }

    private static async Task<Ok<ModelAlias[]>> ListAliases(string model, ModelRegistry registry, CancellationToken ct) =>
        TypedResults.Ok((await registry.ListAliasesAsync(model, ct)).ToArray());

    private static async Task<Ok<ModelAlias>> SetAlias(string model, string alias, SetAliasRequest body, HttpContext http, ModelRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(await registry.SetAliasAsync(http.GetPrincipal(), model, alias, body.Version, ct));

    private static async Task<NoContent> RemoveAlias(string model, string alias, HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        await registry.RemoveAliasAsync(http.GetPrincipal(), model, alias, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ModelGrant[]>> ListGrants(string model, ModelGrants grants, CancellationToken ct) =>
        TypedResults.Ok((await grants.ListAsync(model, ct)).ToArray());

    private static async Task<Ok<ModelGrant>> Grant(string model, string department, HttpContext http, ModelGrants grants, CancellationToken ct) =>
        TypedResults.Ok(await grants.GrantAsync(http.GetPrincipal(), model, department, ct));

    private static async Task<NoContent> RevokeGrant(string model, string department, HttpContext http, ModelGrants grants, CancellationToken ct)
    {
        await grants.RevokeAsync(http.GetPrincipal(), model, department, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<VersionResponse[]>> FindLineage(
        string? dataFingerprint, string? pipelineRun, string? codeRevision, string? parent, ModelRegistry registry, CancellationToken ct)
    {
        var query = new LineageQuery(dataFingerprint, pipelineRun, codeRevision, parent is null ? null : VersionRef.Parse(parent));
        var found = await registry.FindByLineageAsync(query, ct);
        return TypedResults.Ok(found.Select(v => VersionResponse.From(v, [])).ToArray());
    }
}

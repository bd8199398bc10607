using System.Globalization;
using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Fairness;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Onnx;
using Escala.Server.Hosting;
using Escala.Server.Registry;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Fairness;

/// <summary>
/// Fairness at evaluation: <c>POST /api/v1/models/{model}/versions/{version}/fairness?sensitive=sex,race&amp;label=y&amp;positive=1</c>
/// with a holdout CSV body; the version scores the rows itself, the evaluation is stored with it (audited) and
/// written into its model card's Fairness section. <c>GET</c> reads the latest.
/// </summary>
public static class FairnessApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapFairness(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/models/{model}/versions/{version}/fairness").WithTags("Fairness");
        group.MapPost("/", EvaluateAsync).RequireRole(Role.Scientist).WithBodySizeLimit(ModelUpload.MaxBaselineBytes)
            .WithName("EvaluateFairness").WithSummary("Scores a holdout CSV with the version and stores fairness metrics by the sensitive columns.");
        group.MapGet("/", LatestAsync).RequireRole(Role.Viewer)
            .WithName("GetFairness").WithSummary("The version's latest fairness evaluation.");
        return app;
    }

    private static async Task<Ok<FairnessEvaluation>> EvaluateAsync(
        string model, string version, string? sensitive, string? label, string? positive, int? minGroupSize, int? bootstrap, HttpContext http,
        ModelRegistry registry, IFairnessReportStore store, TimeProvider time, CancellationToken ct)
    {
        var attributes = (sensitive ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (attributes.Length is 0 or > 5 || string.IsNullOrWhiteSpace(label))
        {
            throw ProblemTypes.ValidationFailed.With("Give sensitive= (1 to 5 column names, comma-separated) and label= (the true label's column).");
        }

        if (minGroupSize is < 1 || bootstrap is < 0 or > 10_000)
        {
            throw ProblemTypes.ValidationFailed.With("minGroupSize must be at least 1 and bootstrap between 0 and 10000.");
        }

        var caller = http.GetPrincipal();
        var found = await registry.GetVersionAsync(model, version, ct);
        ModelRegistry.RequireScope(caller, await registry.GetModelAsync(found.Model, ct));
        var csv = await ModelUpload.ReadBoundedAsync(http.Request.Body, ModelUpload.MaxBaselineBytes, "holdout table", ct);
        var (_, bytes) = await registry.LoadArtifactAsync(found.Model, found.Version.ToString(CultureInfo.InvariantCulture), ct);
        var signature = found.Signature ?? throw ProblemTypes.FairnessUnavailable.With($"{found.Ref} has no recorded signature.");
        InferenceSession session;
        try
        {
            session = InferenceSession.Load(bytes);
        }
        catch (OnnxException e)
        {
            throw ProblemTypes.UnsupportedModel.With($"Escala's engine cannot run {found.Ref}: {e.Message}", e);
        }

        var options = new FairnessOptions { MinGroupSize = minGroupSize ?? 30, BootstrapSamples = bootstrap ?? 1000 };
        var (reports, positiveClass, rows) = HoldoutScoring.Evaluate(csv, signature, session, attributes, label, positive, options);
        var evaluation = new FairnessEvaluation(found.Model, found.Version, label, positiveClass, rows, reports, time.GetUtcNow(), caller.AuditName);
        var audit = AuditEntry.Create(evaluation.CreatedAt, caller, "fairness.evaluate", AuditSubjects.Version(found.Model, found.Version), null, evaluation.Summary());
        await store.AddAsync(evaluation, audit, ct);

        // The card states what was measured: its Fairness section is replaced (the card change is audited by the registry).
        var (_, card, _) = await registry.GetCardAsync(found.Model, found.Version.ToString(CultureInfo.InvariantCulture), ct);
        await registry.SetCardAsync(caller, found.Model, found.Version.ToString(CultureInfo.InvariantCulture), FairnessCardSection.Apply(card.Markdown, evaluation), ct);
        return TypedResults.Ok(evaluation);
    }

    private static async Task<Ok<FairnessEvaluation>> LatestAsync(string model, string version, ModelRegistry registry, IFairnessReportStore store, CancellationToken ct)
    {
        var found = await registry.GetVersionAsync(model, version, ct);
        return TypedResults.Ok(await store.LatestAsync(found.Model, found.Version, ct)
            ?? throw ProblemTypes.NotFound.With($"{found.Ref} has no fairness evaluation yet; run `escala fairness {found.Model}:{found.Version.ToString(CultureInfo.InvariantCulture)} --data holdout.csv --sensitive COLUMN --label COLUMN`."));
    }
}

using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Endpoints;
using Escala.Core.Privacy;
using Escala.Core.Problems;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Privacy;

/// <summary>An endpoint's privacy policy as the API reads and writes it.</summary>
/// <param name="Fields">Per field: keep, drop, hash, mask or mask:PREFIX:SUFFIX.</param>
/// <param name="Retention">Days kept per kind of data (absent: kept).</param>
public sealed record PrivacyPolicyBody(Dictionary<string, string>? Fields, RetentionPolicy? Retention);

/// <summary>The stored policy.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Fields">Per field.</param>
/// <param name="Retention">Retention.</param>
/// <param name="UpdatedAt">When it was set (null: never).</param>
/// <param name="UpdatedBy">By whom.</param>
public sealed record PrivacyPolicyResponse(string Endpoint, IReadOnlyDictionary<string, string> Fields, RetentionPolicy Retention, DateTimeOffset? UpdatedAt, string? UpdatedBy);

/// <summary>An erasure request: the subject key as the application knows it.</summary>
/// <param name="Subject">The subject key (e.g. a customer id).</param>
public sealed record ErasureBody(string? Subject);

/// <summary>What an erasure deleted.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Predictions">Prediction log lines deleted.</param>
/// <param name="Labels">Ground-truth labels deleted.</param>
public sealed record ErasureResponse(string Endpoint, int Predictions, int Labels);

/// <summary>
/// <c>/api/v1/endpoints/{endpoint}/privacy</c>: read and set the endpoint's personal-data policy (applied to every
/// line logged from then on), and <c>POST .../privacy/erase</c>: delete a subject's logged predictions and labels.
/// </summary>
public static class PrivacyApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/endpoints/{endpoint}/privacy").WithTags("Privacy");
        group.MapGet("/", GetAsync).RequireRole(Role.Viewer).WithName("GetPrivacy").WithSummary("The endpoint's personal-data policy.");
        group.MapPut("/", SetAsync).RequireRole(Role.Operator).WithName("SetPrivacy")
            .WithSummary("Sets the endpoint's field policies (keep, drop, mask, hash) and retention; applies to every line logged from now on.");
        group.MapPost("/erase", EraseAsync).RequireRole(Role.Operator).WithName("EraseSubject")
            .WithSummary("Deletes a subject's logged predictions and labels; the audit record holds the counts, not the subject.");
        return app;
    }

    private static async Task<Ok<PrivacyPolicyResponse>> GetAsync(string endpoint, EndpointCatalog endpoints, IPrivacyStore store, CancellationToken ct)
    {
        var found = await endpoints.GetAsync(endpoint, ct);
        var stored = (await store.ListAsync(ct)).FirstOrDefault(p => p.Endpoint == found.Name);
        return TypedResults.Ok(stored is null
            ? new PrivacyPolicyResponse(found.Name, new Dictionary<string, string>(), new RetentionPolicy(), null, null)
            : Response(stored));
    }

    private static async Task<Ok<PrivacyPolicyResponse>> SetAsync(
        string endpoint, PrivacyPolicyBody? body, HttpContext http, EndpointCatalog endpoints, IPrivacyStore store, LogPrivacy privacy, TimeProvider time, CancellationToken ct)
    {
        var found = await endpoints.GetAsync(endpoint, ct);
        var policy = PrivacyPolicy.From(body?.Fields, body?.Retention);
        var caller = http.GetPrincipal();
        var before = (await store.ListAsync(ct)).FirstOrDefault(p => p.Endpoint == found.Name);
        var stored = new StoredPrivacyPolicy(found.Name, policy, time.GetUtcNow(), caller.AuditName);
        var audit = AuditEntry.Create(stored.UpdatedAt, caller, "privacy.set", AuditSubjects.Endpoint(found.Name), before is null ? null : Response(before), Response(stored));
        await store.SetAsync(stored, audit, ct);
        await privacy.ReloadAsync(ct);
        return TypedResults.Ok(Response(stored));
    }

    private static async Task<Ok<ErasureResponse>> EraseAsync(
        string endpoint, ErasureBody? body, HttpContext http, EndpointCatalog endpoints, IPrivacyStore store, LogPrivacy privacy, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(body?.Subject) || body.Subject.Length > 1000)
        {
            throw ProblemTypes.ValidationFailed.With("Give the subject key to erase: {\"subject\": \"...\"} (at most 1000 characters).");
        }

        var found = await endpoints.GetAsync(endpoint, ct);
        var caller = http.GetPrincipal();
        var at = time.GetUtcNow();

        // The hashed key finds lines logged under a policy; the raw key, lines logged before one existed.
        var deleted = await store.EraseSubjectAsync(found.Name, [privacy.Masker.Hash(body.Subject), body.Subject],
            counts => AuditEntry.Create(at, caller, "privacy.erase", AuditSubjects.Endpoint(found.Name), null, new { counts.Predictions, counts.Labels }), ct);
        return TypedResults.Ok(new ErasureResponse(found.Name, deleted.Predictions, deleted.Labels));
    }

    private static PrivacyPolicyResponse Response(StoredPrivacyPolicy stored) => new(
        stored.Endpoint, stored.Policy.Fields.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal), stored.Policy.Retention, stored.UpdatedAt, stored.UpdatedBy);
}

using System.Text.Json;
using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Server.Security;
using Escala.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Escala.Server.Tests.Hosting;

public sealed class ProblemDetailsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UnexpectedException_IsInternalError_WithATraceIdAndNoInternals()
    {
        await using var server = await EscalaTestServer.StartAsync(map: app =>
            app.MapGet("/test/boom", string () => throw new InvalidOperationException("secret connection string Password=hunter2")).RequireRole(Role.Viewer));
        var response = await server.Admin().GetAsync("test/boom", Ct);
        var detail = await response.AssertProblemAsync(ProblemTypes.Internal, "trace id");
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperation", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs", detail, StringComparison.Ordinal);
        Assert.Contains(server.Logs.Entries, e => e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task ProblemException_ThrownAnywhere_KeepsItsTypeAndDetail()
    {
        await using var server = await EscalaTestServer.StartAsync(map: app =>
            app.MapGet("/test/conflict", IResult () => throw ProblemTypes.Conflict.With("the thing moved")).RequireRole(Role.Viewer));
        await (await server.Admin().GetAsync("test/conflict", Ct)).AssertProblemAsync(ProblemTypes.Conflict, "the thing moved");
    }

    [Fact]
    public async Task OpenApiDocument_IsServedAnonymously_AndListsTheRoutes()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var response = await server.Client().GetAsync("openapi/v1.json", Ct);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/models/{model}/versions", paths);
        Assert.Contains("/api/v1/approvals/{id}/approve", paths);
        Assert.Contains("/api/v1/audit/verify", paths);
        Assert.Contains("/api/v1/keys", paths);
    }

    [Fact]
    public void Catalogue_SlugsAreUniqueAndStatusesAreErrors()
    {
        Assert.Equal(ProblemTypes.All.Count, ProblemTypes.All.Select(t => t.Slug).Distinct().Count());
        Assert.All(ProblemTypes.All, t => Assert.InRange(t.Status, 400, 599));
        Assert.All(ProblemTypes.All, t => Assert.StartsWith("https://escala.dev/problems/", t.Uri, StringComparison.Ordinal));
    }
}

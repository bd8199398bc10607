using System.Net;
using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Registry;
using Escala.Server.Dashboard;
using Escala.Server.Hosting;
using Escala.Server.Registry;
using Escala.Server.Security;
using Escala.Server.Tests.Gateway;
using Escala.Testing;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Tests.Dashboard;

/// <summary>
/// The dashboard's sign-in, sessions, forms and roles through the real server: a cookie stops working after sign-out
/// and after expiry, a form from another site or without the session's token is refused, and every action route gives
/// every lower role 403 (enumerated from the route table, so a new action is covered when it is mapped).
/// </summary>
public sealed class DashboardSecurityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Action(string Pattern, Role Minimum);

    private static List<Action> ActionRoutes(EscalaTestServer server) =>
    [
        .. server.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<DashboardRoute>() is not null
                && (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("POST") ?? false)
                && e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null)
            .Select(e => new Action(e.RoutePattern.RawText!, e.Metadata.GetOrderedMetadata<MinimumRole>().Max(r => r.Role))),
    ];

    private static string Fill(string pattern) =>
        pattern.Replace("{id:long}", "999", StringComparison.Ordinal).Replace("{endpoint}", "credit-risk", StringComparison.Ordinal);

    [Fact]
    public async Task SignIn_GivesAnHttpOnlyStrictExpiringCookie_AndIsAuditedWithTheKey()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var (session, answer) = await DashboardSession.SignInAsync(server, server.AdminKey);
        using var _ = session;
        var cookie = Assert.Single(answer.Headers.GetValues("Set-Cookie"), c => c.StartsWith("escala_session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
        Assert.Contains("expires=", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain("secure", cookie, StringComparison.Ordinal); // plain HTTP here; Secure when the request came over TLS
        Assert.DoesNotContain(server.AdminKey, cookie, StringComparison.Ordinal);

        var page = await session.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var audit = await server.Service<IAuditLog>().ListNewestAsync(null, 5, new AuditFilter(Action: "dashboard.sign-in"), Ct);
        Assert.Equal($"bootstrap-admin ({ApiKeySecret.IdOf(server.AdminKey)})", Assert.Single(audit).Actor);
    }

    [Fact]
    public async Task BadKey_IsRefused_AndPagesSendAnonymousVisitorsToSignIn()
    {
        await using var server = await EscalaTestServer.StartAsync();
        using var anonymous = DashboardSession.WithCookie(server, "ess_0123456789abcdef_forged");
        var page = await anonymous.GetAsync("/models?x=1");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/sign-in?next=%2Fmodels%3Fx%3D1", page.Headers.Location!.OriginalString);
        var refused = await anonymous.PostAsync("/sign-in", new() { ["key"] = "esk_0123456789abcdef_wrong" }, token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("unknown, revoked or malformed", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cookie_IsUnusableAfterSignOut()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var (session, _) = await DashboardSession.SignInAsync(server, server.AdminKey);
        using var __ = session;
        var stolen = session.Token!;
        var signedOut = await session.PostAsync("/sign-out", [], await session.FormTokenAsync());
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        using var replay = DashboardSession.WithCookie(server, stolen);
        Assert.Equal(HttpStatusCode.Redirect, (await replay.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.PostAsync("/endpoints/credit-risk/rollback", [], null)).StatusCode);
        var audit = await server.Service<IAuditLog>().ListNewestAsync(null, 5, new AuditFilter(Action: "dashboard.sign-out"), Ct);
        Assert.Single(audit);
    }

    [Fact]
    public async Task Cookie_IsUnusableAfterExpiry_AndWhenItsKeyIsRevoked()
    {
        // Starts at the real time: the client drops a cookie whose expiry is already past on its own clock.
        var clock = new ManualTime(DateTimeOffset.UtcNow);
        await using var server = await EscalaTestServer.StartAsync(options: folder => new EscalaServerOptions { DataDirectory = folder, Time = clock });
        var (session, _) = await DashboardSession.SignInAsync(server, server.AdminKey);
        using var __ = session;
        var token = session.Token!;
        clock.Advance(TimeSpan.FromHours(8) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await DashboardSession.WithCookie(server, token).GetAsync("/")).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.Redirect, (await DashboardSession.WithCookie(server, token).GetAsync("/")).StatusCode);

        var viewerKey = await server.CreateKeyAsync("vic", Role.Viewer);
        var (viewer, _) = await DashboardSession.SignInAsync(server, viewerKey);
        using var ___ = viewer;
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/models")).StatusCode);
        (await server.Admin().DeleteAsync($"api/v1/keys/{ApiKeySecret.IdOf(viewerKey)}", Ct)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Redirect, (await viewer.GetAsync("/models")).StatusCode);
    }

    public static TheoryData<string, string?, string?, bool> Forgeries => new()
    {
        // name, Origin, Sec-Fetch-Site, send the session's token
        { "another site's form (fetch metadata)", null, "cross-site", true },
        { "another site's form (origin only)", "https://evil.example", null, true },
        { "a sibling subdomain", null, "same-site", true },
        { "no token", null, "same-origin", false },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task CrossSiteOrTokenlessFormPost_IsRefused_AndChangesNothing(string name, string? origin, string? fetchSite, bool withToken)
    {
        await using var server = await EscalaTestServer.StartAsync();
        var approval = await PendingApprovalAsync(server);
        var carol = await server.CreateKeyAsync("carol", Role.Approver);
        var (session, _) = await DashboardSession.SignInAsync(server, carol);
        using var __ = session;
        var token = withToken ? await session.FormTokenAsync() : null;

        var forged = await session.PostAsync($"/approvals/{approval}/approve", [], token, origin, fetchSite);
        Assert.True(forged.StatusCode == HttpStatusCode.Forbidden, $"{name}: {(int)forged.StatusCode}");
        Assert.Equal(ApprovalStatus.Pending, (await server.Service<Promotions>().GetAsync(approval, Ct)).Status);

        // Another session's token is refused too.
        var (other, _) = await DashboardSession.SignInAsync(server, server.AdminKey);
        using var ___ = other;
        var crossed = await session.PostAsync($"/approvals/{approval}/approve", [], await other.FormTokenAsync());
        Assert.Equal(HttpStatusCode.Forbidden, crossed.StatusCode);

        // The real form goes through, approved as carol.
        var approved = await session.PostAsync($"/approvals/{approval}/approve", new() { ["comment"] = "reviewed" }, await session.FormTokenAsync());
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.StartsWith("/models?done=", approved.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var decided = await server.Service<Promotions>().GetAsync(approval, Ct);
        Assert.Equal((ApprovalStatus.Approved, "carol"), (decided.Status, decided.DecidedByName));
    }

    [Fact]
    public async Task EveryActionRoute_Gives403ToEveryLowerRole_And401WithoutASession()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var actions = ActionRoutes(server);
        Assert.Contains(actions, a => a.Pattern == "/approvals/{id:long}/approve" && a.Minimum == Role.Approver);
        Assert.Contains(actions, a => a.Pattern == "/endpoints/{endpoint}/rollback" && a.Minimum == Role.Operator);
        var sessions = new Dictionary<Role, (DashboardSession Session, string Token)>();
        foreach (var role in RoleNames.All.Where(r => r != Role.Admin))
        {
            var (session, _) = await DashboardSession.SignInAsync(server, await server.CreateKeyAsync($"as-{role.ToName()}", role));
            sessions[role] = (session, await session.FormTokenAsync());
        }

        var before = StateSnapshot.Take(server.DataDirectory);
        var checkedCalls = 0;
        foreach (var action in actions)
        {
            using var nobody = DashboardSession.WithCookie(server, "ess_0123456789abcdef_nothing");
            Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.PostAsync(Fill(action.Pattern), [], null)).StatusCode);
            foreach (var (role, (session, token)) in sessions.Where(s => s.Key < action.Minimum))
            {
                var refused = await session.PostAsync(Fill(action.Pattern), [], token);
                Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{role.ToName()} on {action.Pattern}: {(int)refused.StatusCode}");
                Assert.Contains($"needs the {action.Minimum.ToName()} role", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
                checkedCalls++;
            }
        }

        Assert.True(checkedCalls >= 8, $"only {checkedCalls} refusals checked");
        Assert.Equal(before, StateSnapshot.Take(server.DataDirectory));
        foreach (var (session, _) in sessions.Values)
        {
            session.Dispose();
        }
    }

    [Fact]
    public async Task Viewer_SeesEveryPageItMayRead_AndNoButtonItMayNotPress()
    {
        await using var server = await EscalaTestServer.StartAsync();
        await PendingApprovalAsync(server);
        var (viewer, _) = await DashboardSession.SignInAsync(server, await server.CreateKeyAsync("vic", Role.Viewer));
        using var __ = viewer;
        foreach (var page in new[] { "/", "/models", "/models/credit-risk", "/monitoring" })
        {
            var answer = await viewer.GetAsync(page);
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{page}: {(int)answer.StatusCode}");
            var html = await answer.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain("/approve\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("href=\"/audit\"", html, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/audit")).StatusCode);
        var models = await (await viewer.GetAsync("/models")).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Approving needs the approver role", models, StringComparison.Ordinal);
    }

    // A version of credit-risk in staging with a production request by bob; returns the request id.
    private static async Task<long> PendingApprovalAsync(EscalaTestServer server)
    {
        var alice = server.Client(await server.CreateKeyAsync("alice", Role.Scientist));
        var bob = server.Client(await server.CreateKeyAsync("bob", Role.Approver));
        await alice.RegisterOkAsync("credit-risk", Escala.Testing.TestModels.Logistic());
        (await alice.PostJsonAsync("api/v1/models/credit-risk/versions/1/stage", new StageChangeRequest("staging"))).EnsureSuccessStatusCode();
        var requested = await bob.PostJsonAsync("api/v1/models/credit-risk/versions/1/stage", new StageChangeRequest("production", "pilot ok"));
        return (await requested.ReadAsync<StageChangeResponse>()).Approval!.Id;
    }
}

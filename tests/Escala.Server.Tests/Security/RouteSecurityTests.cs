using System.Net;
using System.Text;
using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Server.Access;
using Escala.Server.Security;
using Escala.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Tests.Security;

/// <summary>
/// Every route of the real app, enumerated from its endpoint data source: each must declare a minimum
/// role or be explicitly anonymous, and each answers 401 without a key and 403 for every lower role,
/// without changing anything. A new route that forgets its role fails here.
/// </summary>
public sealed class RouteSecurityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The only routes callers may use without a key; adding one here (e.g. a health probe) is a deliberate decision.</summary>
    private static readonly string[] AnonymousRoutes = ["/openapi/{documentName}.json", "/v2/health/live", "/v2/health/ready", "/assets/dashboard.js", "/sign-in"];

    /// <summary>Dashboard routes answer browsers (sign-in redirects, HTML refusals); DashboardSecurityTests checks them the same way.</summary>
    private sealed record Route(string Method, string Pattern, Role? Minimum, bool Anonymous, bool Dashboard = false);

    private static List<Route> Routes(EscalaTestServer server) =>
    [
        .. server.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().SelectMany(endpoint =>
            (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method => new Route(
                method,
                endpoint.RoutePattern.RawText ?? "",
                endpoint.Metadata.GetOrderedMetadata<MinimumRole>().Select(r => (Role?)r.Role).DefaultIfEmpty().Max(),
                endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null,
                endpoint.Metadata.GetMetadata<Escala.Server.Dashboard.DashboardRoute>() is not null))),
    ];

    // Concrete values for route parameters; any value will do, the role check comes first.
    private static string Fill(string pattern)
    {
        var path = new StringBuilder();
        foreach (var segment in pattern.Trim('/').Split('/'))
        {
            path.Append('/').Append(segment switch
            {
                "{model}" => "credit-risk",
                "{version}" => "1",
                "{alias}" => "champion",
                "{id:long}" => "1",
                "{id}" => "0123456789abcdef",
                "{name}" => "risk",
                "{documentName}" => "v1",
                _ when segment.StartsWith('{') => "x",
                _ => segment,
            });
        }

        return path.ToString();
    }

    private static HttpRequestMessage Request(Route route, string? key)
    {
        var request = new HttpRequestMessage(new HttpMethod(route.Method), Fill(route.Pattern));
        if (route.Method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return request;
    }

    [Fact]
    public async Task EveryRoute_DeclaresAMinimumRoleOrIsExplicitlyAnonymous()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var routes = Routes(server);
        Assert.True(routes.Count >= 25, $"Expected the whole API, found {routes.Count} routes.");
        var undeclared = routes.Where(r => r.Minimum is null && !r.Anonymous).Select(r => $"{r.Method} {r.Pattern}").ToList();
        Assert.True(undeclared.Count == 0, "Routes without RequireRole or AllowAnonymous: " + string.Join(", ", undeclared));
        var anonymous = routes.Where(r => r.Anonymous).Select(r => r.Pattern).Distinct().ToList();
        Assert.Equal(AnonymousRoutes.Order(StringComparer.Ordinal), anonymous.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EveryRoute_RefusesNoKeyAndLowerRoles_WithProblemDetails_AndNoStateChange()
    {
        // Every route is called with a refused key: more than the failed-authentication throttle allows one address,
        // which HardeningTests covers. Here the answer of each route is what is checked.
        await using var server = await EscalaTestServer.StartAsync(configure: b => b.Configuration["RateLimits:FailedAuthentication:Burst"] = "100000");
        var keys = new Dictionary<Role, string>();
        foreach (var role in RoleNames.All)
        {
            keys[role] = role == Role.Admin ? server.AdminKey : await server.CreateKeyAsync($"as-{role.ToName()}", role);
        }

        var client = server.Client();
        var before = StateSnapshot.Take(server.DataDirectory);
        var checkedCalls = 0;
        foreach (var route in Routes(server).Where(r => !r.Anonymous && !r.Dashboard))
        {
            using (var response = await client.SendAsync(Request(route, null), Ct))
            {
                await response.AssertProblemAsync(ProblemTypes.Unauthenticated);
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            }

            using (var response = await client.SendAsync(Request(route, "esk_0123456789abcdef_not-a-real-secret"), Ct))
            {
                await response.AssertProblemAsync(ProblemTypes.Unauthenticated, "unknown or has been revoked");
            }

            foreach (var lower in RoleNames.All.Where(r => r < route.Minimum))
            {
                using var response = await client.SendAsync(Request(route, keys[lower]), Ct);
                var detail = await response.AssertProblemAsync(ProblemTypes.InsufficientRole);
                Assert.Contains($"needs the {route.Minimum!.Value.ToName()} role", detail, StringComparison.Ordinal);
                checkedCalls++;
            }
        }

        Assert.True(checkedCalls > 30);
        Assert.Equal(before, StateSnapshot.Take(server.DataDirectory));

        // With the route's own role the request gets past authorization (it may still be refused for its content).
        foreach (var route in Routes(server).Where(r => !r.Anonymous && !r.Dashboard && r.Method is "GET"))
        {
            using var response = await client.SendAsync(Request(route, keys[route.Minimum!.Value]), Ct);
            Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{route.Method} {route.Pattern}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task RevokedKey_StopsWorkingAtOnce()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var secret = await server.CreateKeyAsync("temp", Role.Viewer);
        var client = server.Client(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/whoami", Ct)).StatusCode);
        var id = Escala.Core.Access.ApiKeySecret.IdOf(secret)!;
        (await server.Admin().DeleteAsync($"api/v1/keys/{id}", Ct)).EnsureSuccessStatusCode();
        await (await client.GetAsync("api/v1/whoami", Ct)).AssertProblemAsync(ProblemTypes.Unauthenticated, "revoked");
    }

    [Fact]
    public async Task Keys_WorkInEitherHeader_AndTheDepartmentHeaderIsCheckedAgainstTheKeysScope()
    {
        await using var server = await EscalaTestServer.StartAsync();
        await server.CreateDepartmentAsync("risk");
        await server.CreateDepartmentAsync("hr");
        var secret = await server.CreateKeyAsync("alice", Role.Scientist, "risk");

        using var viaHeader = new HttpRequestMessage(HttpMethod.Get, "api/v1/whoami");
        viaHeader.Headers.Add("X-Api-Key", secret);
        var me = await (await server.Client().SendAsync(viaHeader, Ct)).ReadAsync<WhoAmIResponse>();
        Assert.Equal(("alice", "scientist", "risk"), (me.Name, me.Role, me.Department));

        using var otherDepartment = new HttpRequestMessage(HttpMethod.Get, "api/v1/whoami");
        otherDepartment.Headers.Add("X-Api-Key", secret);
        otherDepartment.Headers.Add(CallerContext.DepartmentHeader, "hr");
        await (await server.Client().SendAsync(otherDepartment, Ct)).AssertProblemAsync(ProblemTypes.DepartmentScope, "hr");
    }
}

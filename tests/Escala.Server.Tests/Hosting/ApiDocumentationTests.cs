using System.Text.RegularExpressions;
using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Server.Security;
using Escala.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Tests.Hosting;

/// <summary>docs/api.md stays true: every route of the app is in its table with the role it really requires, and every problem type is listed.</summary>
public sealed partial class ApiDocumentationTests
{
    private static string ApiDoc()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Escala.slnx")))
            {
                return File.ReadAllText(Path.Combine(dir.FullName, "docs", "api.md"));
            }
        }

        throw new FileNotFoundException("docs/api.md not found above the test binaries.");
    }

    [GeneratedRegex(@"^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| ([a-z]+) \|", RegexOptions.Multiline)]
    private static partial Regex RouteRow();

    private static string Documented(string pattern) =>
        pattern.Replace("{id:long}", "{id}", StringComparison.Ordinal)
            .Replace("{documentName}", "v1", StringComparison.Ordinal)
            .TrimEnd('/') is { Length: > 0 } path ? path : "/";

    [Fact]
    public async Task EveryRoute_IsDocumentedWithItsRealMinimumRole()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var documented = RouteRow().Matches(ApiDoc()).ToDictionary(m => $"{m.Groups[1].Value} {m.Groups[2].Value}", m => m.Groups[3].Value);
        var missing = new List<string>();
        foreach (var endpoint in server.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var role = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
                ? "anonymous"
                : endpoint.Metadata.GetOrderedMetadata<MinimumRole>().Max(r => r.Role).ToName();
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var key = $"{method} {Documented(endpoint.RoutePattern.RawText!)}";
                if (!documented.TryGetValue(key, out var written))
                {
                    missing.Add($"{key} ({role})");
                }
                else
                {
                    Assert.True(written == role, $"docs/api.md says {key} needs '{written}', the app requires '{role}'.");
                }
            }
        }

        Assert.True(missing.Count == 0, "Add these routes to the table in docs/api.md: " + string.Join("; ", missing));
    }

    [Fact]
    public void EveryProblemType_IsDocumented()
    {
        var doc = ApiDoc();
        var missing = ProblemTypes.All.Where(t => !doc.Contains($"| `{t.Slug}` | {t.Status} |", StringComparison.Ordinal)).Select(t => t.Slug).ToList();
        Assert.True(missing.Count == 0, "Add these problem types to docs/api.md: " + string.Join(", ", missing));
    }
}

using System.Net;
using System.Text.Json;
using Escala.Core.Problems;

namespace Escala.Testing;

/// <summary>Assertions on problem-details responses.</summary>
public static class Problems
{
    /// <summary>Asserts the response is <paramref name="type"/> as application/problem+json with no internals, and returns its detail.</summary>
    public static async Task<string> AssertProblemAsync(this HttpResponseMessage response, ProblemType type, string? detailContains = null)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode == type.Status, $"Expected {type.Status} {type.Slug}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(type.Uri, json.RootElement.GetProperty("type").GetString());
        Assert.Equal(type.Status, json.RootElement.GetProperty("status").GetInt32());
        var detail = json.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
        if (detailContains is not null)
        {
            Assert.Contains(detailContains, detail, StringComparison.Ordinal);
        }

        // Never internals: no stack frames, no exception type names.
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        return detail;
    }

    /// <summary>The status code as a number, for readable assertions.</summary>
    public static int Code(this HttpResponseMessage response) => (int)response.StatusCode;

    /// <summary>True for 2xx.</summary>
    public static bool Succeeded(this HttpStatusCode status) => (int)status is >= 200 and < 300;
}

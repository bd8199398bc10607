using System.Net;
using System.Text.RegularExpressions;
using Escala.Testing;

namespace Escala.Server.Tests.Dashboard;

/// <summary>A browser-like client of the dashboard: its own cookie jar, no automatic redirects, same-origin form posts.</summary>
internal sealed partial class DashboardSession : IDisposable
{
    private readonly HttpClient _client;

    private DashboardSession(EscalaTestServer server)
    {
        Cookies = new CookieContainer();
        _client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = new Uri(server.Url),
        };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _client;

    /// <summary>The session cookie's value, or null.</summary>
    public string? Token => Cookies.GetCookies(_client.BaseAddress!).FirstOrDefault(c => c.Name == "escala_session")?.Value;

    /// <summary>Signs in with <paramref name="key"/> and returns the session (its sign-in answer kept for the cookie attributes).</summary>
    public static async Task<(DashboardSession Session, HttpResponseMessage Answer)> SignInAsync(EscalaTestServer server, string key)
    {
        var session = new DashboardSession(server);
        var answer = await session.PostAsync("/sign-in", new() { ["key"] = key, ["next"] = "/" }, token: null);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.NotNull(session.Token);
        return (session, answer);
    }

    /// <summary>A new client presenting <paramref name="token"/> as its cookie (what a thief holding a copy would do).</summary>
    public static DashboardSession WithCookie(EscalaTestServer server, string token)
    {
        var session = new DashboardSession(server);
        session.Cookies.Add(session._client.BaseAddress!, new Cookie("escala_session", token));
        return session;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => _client.GetAsync(path, TestContext.Current.CancellationToken);

    /// <summary>The anti-forgery token from a page the session can read.</summary>
    public async Task<string> FormTokenAsync(string page = "/")
    {
        var html = await (await GetAsync(page)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return FormTokenPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No form token on " + page);
    }

    /// <summary>Posts a form as the dashboard's own page would (same origin), with <paramref name="token"/> as <c>_csrf</c> when given.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> fields, string? token, string? origin = null, string? fetchSite = "same-origin")
    {
        if (token is not null)
        {
            fields["_csrf"] = token;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return _client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"_csrf\" value=\"([0-9a-f]{64})\"")]
    private static partial Regex FormTokenPattern();
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Escala.Server.Hosting;

namespace Escala.Cli.Client;

/// <summary>
/// The CLI's HTTP client for the Escala API. Every failure becomes a <see cref="CliException"/> with
/// a message a person can act on: the problem details' detail for a refused request, or how to
/// reach the server when it cannot be reached.
/// </summary>
public sealed class EscalaClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>A client for the server at <paramref name="baseUrl"/> using <paramref name="apiKey"/>.</summary>
    public EscalaClient(string baseUrl, string? apiKey, TimeSpan? timeout = null)
    {
        if (!Uri.TryCreate(baseUrl.TrimEnd('/') + "/", UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException($"'{baseUrl}' is not an http(s) URL; set --url or {ClientOptions.UrlVariable}, e.g. {ClientOptions.DefaultUrl}.");
        }

        BaseUrl = uri;
        _http = new HttpClient { BaseAddress = uri, Timeout = timeout ?? TimeSpan.FromMinutes(5) };
        if (!string.IsNullOrWhiteSpace(apiKey))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey.Trim());
        }

        HasKey = !string.IsNullOrWhiteSpace(apiKey);
    }

    /// <summary>The server's base URL.</summary>
    public Uri BaseUrl { get; }

    /// <summary>True when a key was given.</summary>
    public bool HasKey { get; }

    /// <summary>GETs <paramref name="path"/> as <typeparamref name="T"/> (monitoring bodies pass their own JSON settings: NaN is allowed there).</summary>
    public Task<T> GetAsync<T>(string path, CancellationToken ct = default, JsonSerializerOptions? options = null) =>
        SendAsync<T>(() => new HttpRequestMessage(HttpMethod.Get, path), ct, options);

    /// <summary>GETs <paramref name="path"/> as raw JSON.</summary>
    public Task<JsonElement> GetJsonAsync(string path, CancellationToken ct = default) => GetAsync<JsonElement>(path, ct);

    /// <summary>GETs <paramref name="path"/> as bytes, with the response headers.</summary>
    public async Task<(byte[] Bytes, HttpResponseHeaders Headers)> GetBytesAsync(string path, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(() => new HttpRequestMessage(HttpMethod.Get, path), ct);
        return (await response.Content.ReadAsByteArrayAsync(ct), response.Headers);
    }

    /// <summary>GETs <paramref name="path"/> as text.</summary>
    public async Task<string> GetStringAsync(string path, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(() => new HttpRequestMessage(HttpMethod.Get, path), ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    /// <summary>POSTs <paramref name="body"/> as JSON.</summary>
    public Task<T> PostAsync<T>(string path, object? body, CancellationToken ct = default, JsonSerializerOptions? options = null) =>
        SendAsync<T>(() => WithJson(HttpMethod.Post, path, body, options), ct, options);

    /// <summary>PUTs <paramref name="body"/> as JSON.</summary>
    public Task<T> PutAsync<T>(string path, object body, CancellationToken ct = default, JsonSerializerOptions? options = null) =>
        SendAsync<T>(() => WithJson(HttpMethod.Put, path, body, options), ct, options);

    /// <summary>PUTs a body made by <paramref name="content"/> (e.g. a CSV file).</summary>
    public Task<T> PutContentAsync<T>(string path, Func<HttpContent> content, CancellationToken ct = default, JsonSerializerOptions? options = null) =>
        SendAsync<T>(() => new HttpRequestMessage(HttpMethod.Put, path) { Content = content() }, ct, options);

    /// <summary>PATCHes <paramref name="body"/> as JSON.</summary>
    public Task<T> PatchAsync<T>(string path, object body, CancellationToken ct = default) => SendAsync<T>(() => WithJson(HttpMethod.Patch, path, body), ct);

    /// <summary>DELETEs <paramref name="path"/>.</summary>
    public async Task DeleteAsync(string path, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(() => new HttpRequestMessage(HttpMethod.Delete, path), ct);
    }

    /// <summary>DELETEs <paramref name="path"/> and reads the response.</summary>
    public Task<T> DeleteAsync<T>(string path, CancellationToken ct = default) => SendAsync<T>(() => new HttpRequestMessage(HttpMethod.Delete, path), ct);

    /// <summary>POSTs a multipart form (files and JSON parts).</summary>
    public Task<T> PostMultipartAsync<T>(string path, Func<MultipartFormDataContent> form, CancellationToken ct = default) =>
        SendAsync<T>(() => new HttpRequestMessage(HttpMethod.Post, path) { Content = form() }, ct);

    /// <summary>Sends a request and reads <typeparamref name="T"/> from the JSON response; also returns the status.</summary>
    public async Task<(T Body, HttpStatusCode Status)> SendWithStatusAsync<T>(Func<HttpRequestMessage> request, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(request, ct);
        return (await ReadAsync<T>(response, ct), response.StatusCode);
    }

    /// <summary>A JSON request message.</summary>
    public static HttpRequestMessage WithJson(HttpMethod method, string path, object? body, JsonSerializerOptions? options = null) =>
        new(method, path) { Content = body is null ? null : JsonContent.Create(body, body.GetType(), options: options ?? EscalaJson.Options) };

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private async Task<T> SendAsync<T>(Func<HttpRequestMessage> request, CancellationToken ct, JsonSerializerOptions? options = null)
    {
        using var response = await SendRawAsync(request, ct);
        return await ReadAsync<T>(response, ct, options);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct, JsonSerializerOptions? options = null)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(options ?? EscalaJson.Options, ct)
                ?? throw new CliException($"The server answered {(int)response.StatusCode} with an empty body.");
        }
        catch (JsonException e)
        {
            throw new CliException($"The server's answer is not the JSON this CLI expects ({e.Message}); is the CLI the same version as the server?", e);
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(Func<HttpRequestMessage> create, CancellationToken ct)
    {
        using var request = create();
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(
                $"Cannot reach the Escala server at {BaseUrl} ({e.Message}). Start one with `escala serve --data DIR` or point --url / {ClientOptions.UrlVariable} at it.", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"The Escala server at {BaseUrl} did not answer within {_http.Timeout.TotalSeconds:0} s.", e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw new CliException(await DescribeFailureAsync(response, ct));
        }
    }

    private async Task<string> DescribeFailureAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        string? detail = null;
        string? type = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                detail = problem.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                detail ??= problem.RootElement.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                type = problem.RootElement.TryGetProperty("type", out var ty) && ty.ValueKind == JsonValueKind.String ? ty.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Not problem details (e.g. a proxy's error page): fall back to the status line.
        }

        var message = detail ?? $"The server answered {status} {response.ReasonPhrase}.";
        if (status == 401 && !HasKey)
        {
            message += $" Set {ClientOptions.KeyVariable} (the first start of a server writes an admin key to DIR/bootstrap-admin.key).";
        }

        var slug = type?.StartsWith(Escala.Core.Problems.ProblemType.BaseUri, StringComparison.Ordinal) == true
            ? type[Escala.Core.Problems.ProblemType.BaseUri.Length..]
            : null;
        return slug is null ? $"{message} ({status})" : $"{message} ({status} {slug})";
    }
}

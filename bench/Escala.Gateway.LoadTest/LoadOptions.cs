namespace Escala.Gateway.LoadTest;

/// <summary>One load run, as parsed from the command line.</summary>
public sealed record LoadOptions(
    Uri Url,
    byte[]? Body,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    int Concurrency,
    double Rate,
    TimeSpan Duration,
    TimeSpan Warmup,
    long MaxRequests,
    string? CountHeader,
    string? Expect,
    IReadOnlyList<ChurnCall> Churn,
    TimeSpan ChurnEvery,
    string Label);

/// <summary>A control-plane call fired on a timer during the run, e.g. <c>POST .../promote</c>.</summary>
public sealed record ChurnCall(HttpMethod Method, Uri Url)
{
    /// <summary>Parses "METHOD URL".</summary>
    public static ChurnCall Parse(string text)
    {
        var parts = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2)
        {
            throw new ArgumentException($"--churn '{text}': write METHOD URL, e.g. \"POST http://127.0.0.1:5080/v1/endpoints/credit/promote\".");
        }

        return new ChurnCall(new HttpMethod(parts[0].ToUpperInvariant()), Loopback.Require(parts[1], "--churn"));
    }
}

/// <summary>Keeps the tool on this machine: every address must be a loopback address.</summary>
public static class Loopback
{
    /// <summary>The URL, or an error naming the option when it is not http(s) on 127.0.0.1, ::1 or localhost.</summary>
    public static Uri Require(string text, string option)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"{option} '{text}' is not an absolute http:// URL.");
        }

        if (!uri.IsLoopback)
        {
            throw new ArgumentException($"{option} '{text}' is not on this machine; the load test only targets 127.0.0.1 / localhost.");
        }

        return uri;
    }
}

using System.Text;
using Escala.Core.Naming;

namespace Escala.Server.Serving;

/// <summary>
/// The rules for URLs the server calls (external backends, webhooks): no credentials in them (user info is refused;
/// credentials go in write-only secret headers), shown without user info or query anywhere they are read, and
/// answers read with a size cap.
/// </summary>
public static class OutboundUrls
{
    /// <summary><paramref name="url"/> as it may be shown: scheme, host, port and path; never user info or query.</summary>
    public static string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            return "(relative URL)";
        }

        var shown = url.GetLeftPart(UriPartial.Path);
        if (url.UserInfo.Length > 0)
        {
            shown = shown.Replace(url.UserInfo + "@", "***@", StringComparison.Ordinal);
        }

        return url.Query.Length > 1 ? shown + "?***" : shown;
    }

    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/> (read no further than that).</summary>
    public static async Task<byte[]?> ReadBoundedAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Headers.ContentLength is { } declared && declared > maxBytes)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The start of a body for the server log: at most <paramref name="maxBytes"/>, control characters escaped.</summary>
    public static string LoggableBody(byte[] body, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length == 0)
        {
            return "(empty body)";
        }

        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, maxBytes));
        return TextSafety.Neutralise(text) + (body.Length > maxBytes ? $"... ({body.Length} bytes)" : "");
    }
}

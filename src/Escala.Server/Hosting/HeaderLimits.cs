using Escala.Core.Problems;
using Escala.Server.Problems;
using Microsoft.AspNetCore.Builder;

namespace Escala.Server.Hosting;

/// <summary>
/// Request header limits answered with problem details. Kestrel refuses oversized headers itself, before any
/// middleware runs, with an empty 431; so Kestrel's own limits are set well above these (a backstop against
/// memory exhaustion) and this middleware, first in the pipeline, applies the real limits with a body that says
/// what was too large.
/// </summary>
public static class HeaderLimits
{
    /// <summary>Kestrel's own ceiling on all headers of a request (its rejection has no body; ours comes first).</summary>
    public const int KestrelHeadersTotalBytes = 1024 * 1024;

    /// <summary>Kestrel's own ceiling on the number of headers.</summary>
    public const int KestrelHeaderCount = 1_000;

    /// <summary>Adds the check for <paramref name="options"/>' limits.</summary>
    public static IApplicationBuilder UseHeaderLimits(this IApplicationBuilder app, EscalaServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return app.Use((context, next) =>
        {
            var headers = context.Request.Headers;
            if (headers.Count > options.MaxRequestHeaderCount)
            {
                return ProblemResponses.WriteAsync(context, ProblemTypes.HeadersTooLarge,
                    $"The request has {headers.Count} headers; at most {options.MaxRequestHeaderCount} are accepted.");
            }

            long total = 0;
            foreach (var (name, values) in headers)
            {
                total += name.Length + 4;
                foreach (var value in values)
                {
                    total += value?.Length ?? 0;
                }
            }

            return total > options.MaxRequestHeaderBytes
                ? ProblemResponses.WriteAsync(context, ProblemTypes.HeadersTooLarge,
                    $"The request headers add up to {total} bytes; at most {options.MaxRequestHeaderBytes} are accepted.")
                : next(context);
        });
    }
}

using System.Buffers;
using Escala.Core.Problems;
using Microsoft.AspNetCore.Http;

namespace Escala.Server.Predictions;

/// <summary>Reads a prediction request's body into one array the request owns (the log and shadow copies may keep it).</summary>
public static class PredictionBody
{
    /// <summary>
    /// The body's bytes. Throws unsupported-media-type for a body that is not JSON, payload-too-large
    /// beyond <paramref name="maxBytes"/> (whether or not a Content-Length was sent) and
    /// validation-failed for an empty body.
    /// </summary>
    public static async Task<byte[]> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentType is { Length: > 0 } && !request.HasJsonContentType())
        {
            throw ProblemTypes.UnsupportedMediaType.With($"Send the body as application/json, not {request.ContentType}.");
        }

        if (request.ContentLength is { } length)
        {
            if (length > maxBytes)
            {
                throw ProblemTypes.PayloadTooLarge.With($"The body is {length} bytes; prediction requests are limited to {maxBytes} bytes. Split the rows over several requests.");
            }

            if (length == 0)
            {
                throw ProblemTypes.ValidationFailed.With("The body is empty; send the inputs as JSON.");
            }

            var exact = new byte[length];
            await request.Body.ReadExactlyAsync(exact, cancellationToken).ConfigureAwait(false);
            return exact;
        }

        // Chunked: read up to the limit, growing a pooled buffer.
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
                if (filled > maxBytes)
                {
                    throw ProblemTypes.PayloadTooLarge.With($"The body is over {maxBytes} bytes, the limit for prediction requests. Split the rows over several requests.");
                }
            }

            if (filled == 0)
            {
                throw ProblemTypes.ValidationFailed.With("The body is empty; send the inputs as JSON.");
            }

            return buffer.AsSpan(0, filled).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

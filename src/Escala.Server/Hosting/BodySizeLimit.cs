using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Escala.Server.Hosting;

/// <summary>
/// Per-route request body limits. Kestrel enforces a small global limit on every body; a route that
/// takes uploads declares a larger one with <see cref="BodySizeLimitExtensions.WithBodySizeLimit{TBuilder}"/>, applied before
/// the body is read. A body over the limit fails with 413 payload-too-large.
/// </summary>
public sealed class BodySizeLimit(long maxBytes) : IRequestSizeLimitMetadata
{
    /// <inheritdoc/>
    public long? MaxRequestBodySize { get; } = maxBytes;

    /// <summary>Applies each route's declared limit; must run after routing.</summary>
    public static IApplicationBuilder Apply(IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } limit
            && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit.MaxRequestBodySize;
        }

        return next(context);
    });
}

/// <summary>Declaring a route's body limit.</summary>
public static class BodySizeLimitExtensions
{
    /// <summary>The route accepts bodies up to <paramref name="maxBytes"/>.</summary>
    public static TBuilder WithBodySizeLimit<TBuilder>(this TBuilder builder, long maxBytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodySizeLimit(maxBytes));
}

using Escala.Core.Access;
using Escala.Core.Outbound;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Outbound;

/// <summary>A host to allow: its name or address and what it is called for (backend, webhook or any).</summary>
public sealed record AddOutboundHostRequest(string Host, string? Purpose = null);

/// <summary>The outbound allow list over HTTP: <c>/api/v1/outbound-hosts</c> (organisation-wide admins).</summary>
public static class OutboundApi
{
    /// <summary>The configuration list of hosts always allowed (<c>Outbound:AllowedHosts:0</c>, ...).</summary>
    public const string ConfiguredHosts = "Outbound:AllowedHosts";

    /// <summary>Registers the allow list (with the configured hosts) over the backend's <see cref="IOutboundHostStore"/>.</summary>
    public static IServiceCollection AddOutbound(this IServiceCollection services)
    {
        services.AddSingleton(sp => new OutboundAllowList(
            sp.GetRequiredService<IOutboundHostStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IConfiguration>().GetSection(ConfiguredHosts).Get<string[]>() ?? []));
        return services;
    }

    /// <summary>Maps the allow-list routes.</summary>
    public static IEndpointRouteBuilder MapOutbound(this IEndpointRouteBuilder app)
    {
        var hosts = app.MapGroup("/api/v1/outbound-hosts").WithTags("Outbound");
        hosts.MapGet("/", List).RequireRole(Role.Admin)
            .WithName("ListOutboundHosts").WithSummary("The hosts external backends and webhooks may point at.");
        hosts.MapPost("/", Add).RequireRole(Role.Admin)
            .WithName("AddOutboundHost").WithSummary("Allows a host for backends, webhooks or both (organisation-wide admins).");
        hosts.MapDelete("/{host}", Remove).RequireRole(Role.Admin)
            .WithName("RemoveOutboundHost").WithSummary("Takes a host off the allow list.");
        return app;
    }

    private static async Task<Ok<OutboundHost[]>> List(OutboundAllowList list, CancellationToken ct) =>
        TypedResults.Ok((await list.ListAsync(ct)).ToArray());

    private static async Task<Created<OutboundHost>> Add(AddOutboundHostRequest body, HttpContext http, OutboundAllowList list, CancellationToken ct)
    {
        var added = await list.AddAsync(http.GetPrincipal(), body.Host, body.Purpose, ct);
        return TypedResults.Created($"/api/v1/outbound-hosts/{added.Host}", added);
    }

    private static async Task<NoContent> Remove(string host, HttpContext http, OutboundAllowList list, CancellationToken ct)
    {
        await list.RemoveAsync(http.GetPrincipal(), host, ct);
        return TypedResults.NoContent();
    }
}

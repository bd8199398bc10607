using Escala.Core.Access;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Dashboard;

/// <summary>An entry of the dashboard's navigation: shown only to roles that may open it.</summary>
/// <param name="Label">The link text.</param>
/// <param name="Path">Where it goes.</param>
/// <param name="Minimum">The lowest role that sees it (its page refuses lower roles anyway).</param>
/// <param name="Order">Its place, left to right.</param>
public sealed record NavEntry(string Label, string Path, Role Minimum, int Order);

/// <summary>
/// One page (or group of pages) of the dashboard. To add a page (pipelines, adoption, cost, fairness): write a sealed
/// class implementing this, map its routes with <c>RequireSessionRole</c> (and <c>ProtectForm</c> on every POST),
/// render through <see cref="DashboardResults.Page"/>, and register it with <c>services.AddDashboardPage&lt;T&gt;()</c>.
/// Its nav entry then appears for the roles that may open it.
/// </summary>
public interface IDashboardPage
{
    /// <summary>Its navigation entry, or null for pages reached only by links (e.g. one endpoint).</summary>
    NavEntry? Nav { get; }

    /// <summary>Maps its routes on the dashboard's root.</summary>
    void Map(IEndpointRouteBuilder routes);
}

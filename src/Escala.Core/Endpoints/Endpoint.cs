using Escala.Core.Routing;

namespace Escala.Core.Endpoints;

/// <summary>
/// A stable, named address for a use case (e.g. <c>credit-risk</c>) that applications call; which
/// model versions answer behind it is its <see cref="Routing"/> table, changed by deploy, promote
/// and rollback without the address ever changing. <see cref="Generation"/> counts changes, so two
/// gateway nodes (or two operators) cannot overwrite each other's change unknowingly.
/// </summary>
/// <param name="Name">The endpoint's name, as in <c>/v2/models/{name}/infer</c>.</param>
/// <param name="Department">The department that owns (manages) it; null for the whole organisation. Any department may call it.</param>
/// <param name="Description">What it is for.</param>
/// <param name="Routing">Which versions answer whom.</param>
/// <param name="Settings">Deadline, fallback answer, logging and subject settings.</param>
/// <param name="Generation">Incremented by every change.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">Who created it.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record Endpoint(
    string Name,
    string? Department,
    string? Description,
    RoutingTable Routing,
    EndpointSettings Settings,
    long Generation,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt);

namespace Escala.Core.Routing;

/// <summary>A department's own policy: requests from <see cref="Department"/> follow it instead of the endpoint's default.</summary>
public sealed record DepartmentRoute(string Department, TrafficPolicy Policy);

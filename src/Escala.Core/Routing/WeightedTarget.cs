namespace Escala.Core.Routing;

/// <summary>A target key with a relative weight (any non-negative units; only proportions matter).</summary>
public sealed record WeightedTarget(string Target, double Weight);

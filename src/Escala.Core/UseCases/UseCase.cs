using System.Collections.Immutable;

namespace Escala.Core.UseCases;

/// <summary>
/// A named business use of AI (e.g. <c>credit-decisioning</c>): the endpoints that serve it, the departments it is
/// meant for, and what one prediction is worth to the organisation, which turns volume into impact.
/// </summary>
/// <param name="Name">The use case's name.</param>
/// <param name="Description">What it does for whom.</param>
/// <param name="OwnerDepartment">The department that owns it, or null.</param>
/// <param name="Endpoints">The endpoints that serve it (their traffic is its traffic).</param>
/// <param name="Departments">The departments it is meant for; empty means every department.</param>
/// <param name="ValuePerPrediction">What one prediction is worth, in <paramref name="ValueUnit"/>.</param>
/// <param name="ValueUnit">The unit of value, e.g. <c>minutes saved</c> or <c>EUR</c>.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record UseCase(
    string Name,
    string? Description,
    string? OwnerDepartment,
    ImmutableArray<string> Endpoints,
    ImmutableArray<string> Departments,
    decimal ValuePerPrediction,
    string ValueUnit,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>What a caller sends to create or change a use case; null fields stay unchanged on update.</summary>
public sealed record UseCaseChange(
    string? Description = null,
    string? OwnerDepartment = null,
    IReadOnlyList<string>? Endpoints = null,
    IReadOnlyList<string>? Departments = null,
    decimal? ValuePerPrediction = null,
    string? ValueUnit = null);

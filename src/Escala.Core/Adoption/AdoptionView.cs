using Escala.Core.UseCases;

namespace Escala.Core.Adoption;

/// <summary>Value summed per unit (values in different units are never added together).</summary>
public sealed record ImpactTotal(string Unit, decimal Value);

/// <summary>Departments with active users in the last 28 days over all departments.</summary>
public sealed record BreadthMeasure(int ActiveDepartments, int Departments, double Value);

/// <summary>One department's adoption: active users over 7 and 28 days against headcount, volume and impact over the period.</summary>
public sealed record DepartmentAdoption(
    string Department, int Headcount, long ActiveUsers7d, long ActiveUsers28d, double? Depth7d, double? Depth28d, long Predictions, IReadOnlyList<ImpactTotal> Impact);

/// <summary>One use case's volume, reach and impact over the period.</summary>
public sealed record UseCaseAdoption(
    string UseCase, IReadOnlyList<string> Endpoints, long Predictions, long ActiveUsers, IReadOnlyList<string> Departments, decimal ValuePerPrediction, string Unit, decimal Impact);

/// <summary>One week (starting Monday): distinct active users and predictions.</summary>
public sealed record WeekPoint(DateOnly Start, long ActiveUsers, long Predictions);

/// <summary>Weekly active users and volume over the last complete weeks, each with its Mann-Kendall verdict.</summary>
public sealed record SustainabilityMeasure(IReadOnlyList<WeekPoint> Weeks, WeekPoint CurrentWeek, TrendTest Users, TrendTest Volume);

/// <summary>The five measures of scaling success over a period.</summary>
public sealed record AdoptionView(
    DateOnly From, DateOnly To, int Weeks, BreadthMeasure Breadth, IReadOnlyList<DepartmentAdoption> Departments, int Diversity,
    IReadOnlyList<UseCaseAdoption> UseCases, IReadOnlyList<ImpactTotal> Impact, SustainabilityMeasure Sustainability);

/// <summary>What <see cref="AdoptionSummary.Build"/> computes from: counted usage and the organisation.</summary>
/// <param name="Today">The day the report is for.</param>
/// <param name="Weeks">Complete weeks of history for volume, impact and trends.</param>
/// <param name="Departments">Every department with its headcount.</param>
/// <param name="UseCases">Every use case.</param>
/// <param name="Totals">Predictions per department and endpoint over the period.</param>
/// <param name="Users7d">Distinct users per department over the last 7 days.</param>
/// <param name="Users28d">Distinct users per department over the last 28 days.</param>
/// <param name="UsersByEndpoint">Distinct users per department and endpoint over the period.</param>
/// <param name="Weekly">Users and predictions per week over the period.</param>
public sealed record AdoptionInputs(
    int Today, int Weeks, IReadOnlyList<(string Name, int Headcount)> Departments, IReadOnlyList<UseCase> UseCases, IReadOnlyList<UsageTotal> Totals,
    IReadOnlyList<(string Department, long Users)> Users7d, IReadOnlyList<(string Department, long Users)> Users28d,
    IReadOnlyList<ActiveUsers> UsersByEndpoint, IReadOnlyList<WeeklyUsage> Weekly);

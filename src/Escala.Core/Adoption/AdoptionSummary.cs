using Escala.Core.UseCases;

namespace Escala.Core.Adoption;

/// <summary>
/// Builds the <see cref="AdoptionView"/> from counted usage. Traffic of a department on an endpoint belongs to every
/// use case served by that endpoint and meant for that department (or for all); volume and impact cover the last
/// <see cref="AdoptionInputs.Weeks"/> complete weeks plus this week so far.
/// </summary>
public static class AdoptionSummary
{
    /// <summary>The first day of the period: Monday <paramref name="weeks"/> complete weeks before this week.</summary>
    public static int FromDay(int today, int weeks) => UsageDay.WeekStart(UsageDay.WeekOf(today) - weeks);

    /// <summary>The view.</summary>
    public static AdoptionView Build(AdoptionInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var users7 = inputs.Users7d.ToDictionary(u => u.Department, u => u.Users, StringComparer.OrdinalIgnoreCase);
        var users28 = inputs.Users28d.ToDictionary(u => u.Department, u => u.Users, StringComparer.OrdinalIgnoreCase);

        var departments = inputs.Departments.Select(d =>
        {
            var traffic = inputs.Totals.Where(t => string.Equals(t.Department, d.Name, StringComparison.OrdinalIgnoreCase)).ToArray();
            var impact = traffic
                .SelectMany(t => Serving(inputs.UseCases, t.Department, t.Endpoint).Select(u => (u.ValueUnit, Value: AdoptionMeasures.Impact(u.ValuePerPrediction, t.Predictions))))
                .GroupBy(x => x.ValueUnit, StringComparer.Ordinal)
                .Select(g => new ImpactTotal(g.Key, g.Sum(x => x.Value)))
                .ToArray();
            var a7 = users7.GetValueOrDefault(d.Name);
            var a28 = users28.GetValueOrDefault(d.Name);
            return new DepartmentAdoption(d.Name, d.Headcount, a7, a28, AdoptionMeasures.Depth(a7, d.Headcount), AdoptionMeasures.Depth(a28, d.Headcount),
                traffic.Sum(t => t.Predictions), impact);
        }).ToArray();

        var useCases = inputs.UseCases.Select(u =>
        {
            var traffic = inputs.Totals.Where(t => Serves(u, t.Department, t.Endpoint)).ToArray();
            var predictions = traffic.Sum(t => t.Predictions);
            // Users of several endpoints of one use case may be counted once per endpoint: an upper bound, stated in the docs.
            var users = inputs.UsersByEndpoint.Where(a => Serves(u, a.Department, a.Endpoint)).Sum(a => a.Users);
            return new UseCaseAdoption(u.Name, u.Endpoints, predictions, users,
                [.. traffic.Where(t => t.Predictions > 0).Select(t => t.Department).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)],
                u.ValuePerPrediction, u.ValueUnit, AdoptionMeasures.Impact(u.ValuePerPrediction, predictions));
        }).ToArray();

        var total = useCases.GroupBy(u => u.Unit, StringComparer.Ordinal).Select(g => new ImpactTotal(g.Key, g.Sum(u => u.Impact))).ToArray();
        var active = departments.Count(d => d.ActiveUsers28d > 0);
        var breadth = new BreadthMeasure(active, departments.Length, AdoptionMeasures.Breadth(active, departments.Length));

        var thisWeek = UsageDay.WeekOf(inputs.Today);
        var byWeek = inputs.Weekly.ToDictionary(w => w.Week);
        var weeks = Enumerable.Range(thisWeek - inputs.Weeks, inputs.Weeks)
            .Select(w => Point(w, byWeek.GetValueOrDefault(w)))
            .ToArray();
        var current = Point(thisWeek, byWeek.GetValueOrDefault(thisWeek));
        var sustainability = new SustainabilityMeasure(weeks, current,
            MannKendall.Test([.. weeks.Select(w => (double)w.ActiveUsers)]), MannKendall.Test([.. weeks.Select(w => (double)w.Predictions)]));

        return new AdoptionView(UsageDay.Date(FromDay(inputs.Today, inputs.Weeks)), UsageDay.Date(inputs.Today), inputs.Weeks, breadth, departments,
            AdoptionMeasures.Diversity(useCases.Where(u => u.Predictions > 0).Select(u => u.UseCase)), useCases, total, sustainability);
    }

    /// <summary>True when traffic of <paramref name="department"/> on <paramref name="endpoint"/> belongs to <paramref name="useCase"/>.</summary>
    public static bool Serves(UseCase useCase, string department, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(useCase);
        return useCase.Endpoints.Contains(endpoint, StringComparer.Ordinal)
            && (useCase.Departments.IsDefaultOrEmpty || useCase.Departments.Contains(department, StringComparer.OrdinalIgnoreCase));
    }

    private static IEnumerable<UseCase> Serving(IReadOnlyList<UseCase> useCases, string department, string endpoint) =>
        useCases.Where(u => Serves(u, department, endpoint));

    private static WeekPoint Point(int week, WeeklyUsage? usage) =>
        new(UsageDay.Date(UsageDay.WeekStart(week)), usage?.ActiveUsers ?? 0, usage?.Predictions ?? 0);
}

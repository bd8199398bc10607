namespace Escala.Core.Adoption;

/// <summary>
/// The five measures of scaling success as pure functions of counted usage, so the API, the report and
/// a future dashboard compute them the same way: breadth, depth, diversity, impact and (with
/// <see cref="MannKendall"/>) sustainability.
/// </summary>
public static class AdoptionMeasures
{
    /// <summary>Departments with at least one active user over all departments (0 when there are none).</summary>
    public static double Breadth(int departmentsWithActiveUsers, int allDepartments) =>
        allDepartments <= 0 ? 0 : (double)departmentsWithActiveUsers / allDepartments;

    /// <summary>Active users over headcount; null when the headcount is unknown (0), as depth is then undefined.</summary>
    public static double? Depth(long activeUsers, int headcount) => headcount <= 0 ? null : (double)activeUsers / headcount;

    /// <summary>Use cases with traffic in the period (each counted once however many endpoints serve it).</summary>
    public static int Diversity(IEnumerable<string> useCasesWithTraffic) =>
        useCasesWithTraffic.Distinct(StringComparer.Ordinal).Count();

    /// <summary>Value per prediction × predictions.</summary>
    public static decimal Impact(decimal valuePerPrediction, long predictions) => valuePerPrediction * predictions;
}

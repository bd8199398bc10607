namespace Escala.Core.Adoption;

/// <summary>
/// Usage is counted per UTC day, numbered from 1970-01-01 (day 0, a Thursday); weeks start on Monday, so
/// week w runs from day 7w − 3. Whole numbers group cheaply in any database and compare without time zones.
/// </summary>
public static class UsageDay
{
    /// <summary>The day holding <paramref name="at"/>.</summary>
    public static int Of(DateTimeOffset at) => (int)(at.UtcTicks / TimeSpan.TicksPerDay - DateTimeOffset.UnixEpoch.UtcTicks / TimeSpan.TicksPerDay);

    /// <summary>The Monday-based week of <paramref name="day"/>.</summary>
    public static int WeekOf(int day) => (int)Math.Floor((day + 3) / 7.0);

    /// <summary>The first day (a Monday) of <paramref name="week"/>.</summary>
    public static int WeekStart(int week) => week * 7 - 3;

    /// <summary>The date of <paramref name="day"/>.</summary>
    public static DateOnly Date(int day) => DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + day);
}

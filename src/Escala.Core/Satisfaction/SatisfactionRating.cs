namespace Escala.Core.Satisfaction;

/// <summary>One user's rating of an endpoint's answers (1-5; thumbs up is 5 and down is 1).</summary>
/// <param name="Endpoint">The endpoint rated.</param>
/// <param name="RequestId">The prediction rated, if the rating is about one.</param>
/// <param name="Rating">1 (bad) to 5 (good).</param>
/// <param name="Comment">What the user said.</param>
/// <param name="UserKey">The user's pseudonym (never the id).</param>
/// <param name="Department">The department the rating is attributed to.</param>
/// <param name="Target">The version rated, when known.</param>
/// <param name="At">When it was given.</param>
public sealed record SatisfactionRating(
    string Endpoint, string? RequestId, int Rating, string? Comment, string? UserKey, string? Department, string? Target, DateTimeOffset At);

/// <summary>Ratings of one week, department and version: count and sum, so means combine exactly.</summary>
public sealed record SatisfactionCell(int Week, string? Department, string? Target, long Ratings, long Sum)
{
    /// <summary>The mean rating.</summary>
    public double Mean => Ratings == 0 ? double.NaN : (double)Sum / Ratings;
}

/// <summary>Where ratings live.</summary>
public interface ISatisfactionStore
{
    /// <summary>Stores a rating.</summary>
    Task AddAsync(SatisfactionRating rating, CancellationToken cancellationToken = default);

    /// <summary>An endpoint's ratings since <paramref name="since"/> by week, department and version.</summary>
    Task<IReadOnlyList<SatisfactionCell>> CellsAsync(string endpoint, DateTimeOffset since, CancellationToken cancellationToken = default);
}

/// <summary>Mean rating per department and version, and per week.</summary>
public sealed record SatisfactionView(string Endpoint, DateTimeOffset Since, long Ratings, double? Mean, IReadOnlyList<SatisfactionGroup> ByDepartmentAndVersion, IReadOnlyList<SatisfactionWeek> Weeks);

/// <summary>Ratings of one department and version.</summary>
public sealed record SatisfactionGroup(string? Department, string? Version, long Ratings, double Mean);

/// <summary>Ratings of one week.</summary>
public sealed record SatisfactionWeek(DateOnly Start, long Ratings, double Mean);

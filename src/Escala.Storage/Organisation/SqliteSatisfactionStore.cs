using Escala.Core.Adoption;
using Escala.Core.Satisfaction;
using Escala.Storage.Sqlite;

namespace Escala.Storage.Organisation;

/// <summary>Satisfaction ratings in <c>satisfaction</c>.</summary>
public sealed class SqliteSatisfactionStore(SqliteDatabase database) : ISatisfactionStore
{
    /// <inheritdoc/>
    public Task AddAsync(SatisfactionRating rating, CancellationToken cancellationToken = default) =>
        database.WriteAsync(write => write.ExecuteAsync(
            "INSERT INTO satisfaction (endpoint, request_id, rating, comment, user_key, department, target, at) VALUES ($endpoint, $request, $rating, $comment, $user, $department, $target, $at);",
            ("$endpoint", rating.Endpoint), ("$request", rating.RequestId), ("$rating", rating.Rating), ("$comment", rating.Comment),
            ("$user", rating.UserKey), ("$department", rating.Department), ("$target", rating.Target), ("$at", SqliteValues.Timestamp(rating.At))), cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SatisfactionCell>> CellsAsync(string endpoint, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        var rows = await database.ReadAsync(connection => connection.ListAsync(
            "SELECT at, department, target, rating FROM satisfaction WHERE endpoint = $endpoint AND at >= $since;",
            r => (At: r.ReadTimestamp(0), Department: r.ReadStringOrNull(1), Target: r.ReadStringOrNull(2), Rating: r.GetInt32(3)),
            ("$endpoint", endpoint), ("$since", SqliteValues.Timestamp(since))), cancellationToken);
        return [.. rows
            .GroupBy(r => (Week: UsageDay.WeekOf(UsageDay.Of(r.At)), r.Department, r.Target))
            .OrderBy(g => g.Key.Week).ThenBy(g => g.Key.Department, StringComparer.Ordinal).ThenBy(g => g.Key.Target, StringComparer.Ordinal)
            .Select(g => new SatisfactionCell(g.Key.Week, g.Key.Department, g.Key.Target, g.Count(), g.Sum(r => (long)r.Rating)))];
    }
}

using Escala.Core.Adoption;
using Escala.Storage.Sqlite;

namespace Escala.Storage.Organisation;

/// <summary>
/// Usage counters in <c>usage_daily</c> and <c>usage_users</c>: one row per day, department, endpoint and version
/// (counts add up with an upsert) and one per user, department, endpoint and day (inserted once). Queries group
/// these pre-aggregated rows, so their cost grows with days × departments × endpoints, not with predictions.
/// </summary>
public sealed class SqliteUsageStore(SqliteDatabase database) : IUsageStore
{
    /// <inheritdoc/>
    public Task AddAsync(IReadOnlyList<UsageCount> counts, IReadOnlyList<UserActivity> users, CancellationToken cancellationToken = default)
    {
        if (counts.Count == 0 && users.Count == 0)
        {
            return Task.CompletedTask;
        }

        return database.WriteAsync(async write =>
        {
            await using (var add = write.Command(
                "INSERT INTO usage_daily (day, department, endpoint, target, predictions, errors) VALUES ($day, $department, $endpoint, $target, $predictions, $errors) " +
                "ON CONFLICT (day, department, endpoint, target) DO UPDATE SET predictions = predictions + excluded.predictions, errors = errors + excluded.errors;",
                ("$day", 0), ("$department", ""), ("$endpoint", ""), ("$target", ""), ("$predictions", 0L), ("$errors", 0L)))
            {
                foreach (var c in counts)
                {
                    add.Parameters["$day"].Value = c.Day;
                    add.Parameters["$department"].Value = c.Department;
                    add.Parameters["$endpoint"].Value = c.Endpoint;
                    add.Parameters["$target"].Value = c.Target;
                    add.Parameters["$predictions"].Value = c.Predictions;
                    add.Parameters["$errors"].Value = c.Errors;
                    await add.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            await using var user = write.Command(
                "INSERT INTO usage_users (day, department, endpoint, user_key) VALUES ($day, $department, $endpoint, $user) ON CONFLICT DO NOTHING;",
                ("$day", 0), ("$department", ""), ("$endpoint", ""), ("$user", ""));
            foreach (var u in users)
            {
                user.Parameters["$day"].Value = u.Day;
                user.Parameters["$department"].Value = u.Department;
                user.Parameters["$endpoint"].Value = u.Endpoint;
                user.Parameters["$user"].Value = u.UserKey;
                await user.ExecuteNonQueryAsync(cancellationToken);
            }
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<UsageTotal>> TotalsAsync(int fromDay, int toDay, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<UsageTotal>>(async connection => await connection.ListAsync(
            "SELECT department, endpoint, sum(predictions), sum(errors) FROM usage_daily WHERE day BETWEEN $from AND $to GROUP BY department, endpoint ORDER BY department, endpoint;",
            r => new UsageTotal(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3)), ("$from", fromDay), ("$to", toDay)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<UsageCount>> TargetTotalsAsync(string endpoint, int fromDay, int toDay, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<UsageCount>>(async connection => await connection.ListAsync(
            "SELECT department, target, sum(predictions), sum(errors) FROM usage_daily WHERE day BETWEEN $from AND $to AND endpoint = $endpoint GROUP BY department, target ORDER BY department, target;",
            r => new UsageCount(toDay, r.GetString(0), endpoint, r.GetString(1), r.GetInt64(2), r.GetInt64(3)),
            ("$from", fromDay), ("$to", toDay), ("$endpoint", endpoint)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ActiveUsers>> ActiveUsersAsync(int fromDay, int toDay, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<ActiveUsers>>(async connection => await connection.ListAsync(
            "SELECT department, endpoint, count(DISTINCT user_key) FROM usage_users WHERE day BETWEEN $from AND $to GROUP BY department, endpoint ORDER BY department, endpoint;",
            r => new ActiveUsers(r.GetString(0), r.GetString(1), r.GetInt64(2)), ("$from", fromDay), ("$to", toDay)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<(string Department, long Users)>> ActiveUsersByDepartmentAsync(
        int fromDay, int toDay, IReadOnlyList<string>? endpoints = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<(string, long)>>(async connection => await connection.ListAsync(
            $"SELECT department, count(DISTINCT user_key) FROM usage_users WHERE day BETWEEN $from AND $to{In("endpoint", endpoints)} GROUP BY department ORDER BY department;",
            r => (r.GetString(0), r.GetInt64(1)), [("$from", fromDay), ("$to", toDay), .. Values("endpoint", endpoints)]), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<WeeklyUsage>> WeeklyAsync(
        int fromDay, int toDay, IReadOnlyList<string>? departments = null, IReadOnlyList<string>? endpoints = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<WeeklyUsage>>(async connection =>
        {
            var filter = In("department", departments) + In("endpoint", endpoints);
            (string, object?)[] parameters = [("$from", fromDay), ("$to", toDay), .. Values("department", departments), .. Values("endpoint", endpoints)];
            // Weeks start on Monday: day 0 (1970-01-01) is a Thursday, so (day + 3) / 7 numbers Monday-based weeks.
            var users = await connection.ListAsync(
                $"SELECT (day + 3) / 7 AS week, count(DISTINCT user_key) FROM usage_users WHERE day BETWEEN $from AND $to{filter} GROUP BY week;",
                r => (Week: r.GetInt32(0), Users: r.GetInt64(1)), parameters);
            var volume = await connection.ListAsync(
                $"SELECT (day + 3) / 7 AS week, sum(predictions) FROM usage_daily WHERE day BETWEEN $from AND $to{filter} GROUP BY week;",
                r => (Week: r.GetInt32(0), Predictions: r.GetInt64(1)), parameters);
            var byUsers = users.ToDictionary(u => u.Week, u => u.Users);
            var byVolume = volume.ToDictionary(v => v.Week, v => v.Predictions);
            return [.. byUsers.Keys.Union(byVolume.Keys).Order()
                .Select(w => new WeeklyUsage(w, byUsers.GetValueOrDefault(w), byVolume.GetValueOrDefault(w)))];
        }, cancellationToken);

    // Parameterised IN lists: names are bound, never spliced into the SQL.
    private static string In(string column, IReadOnlyList<string>? values) => values is null
        ? ""
        : values.Count == 0 ? " AND 0" : $" AND {column} IN ({string.Join(", ", values.Select((_, i) => $"${column}{i}"))})";

    private static (string, object?)[] Values(string column, IReadOnlyList<string>? values) =>
        values is null ? [] : [.. values.Select((v, i) => ($"${column}{i}", (object?)v))];
}

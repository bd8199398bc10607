using Escala.Core.Adoption;

namespace Escala.Storage.Postgres;

/// <summary>
/// (PostgreSQL) Usage counters: <c>usage_daily</c> and <c>usage_weekly</c> hold one row per day (week), department, endpoint and
/// version (counts add up with an upsert); users are kept one row each with their last active day (per department, and per endpoint) and one row per
/// week they were active. Queries read these pre-aggregated rows, so their cost grows with days × departments ×
/// endpoints and with people, never with predictions.
/// </summary>
public sealed class PostgresUsageStore(PostgresDatabase database) : IUsageStore
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
                "INSERT INTO usage_daily (day, department, endpoint, target, predictions, errors) VALUES (@day, @department, @endpoint, @target, @predictions, @errors) " +
                "ON CONFLICT (day, department, endpoint, target) DO UPDATE SET predictions = usage_daily.predictions + excluded.predictions, errors = usage_daily.errors + excluded.errors;",
                ("@day", 0), ("@department", ""), ("@endpoint", ""), ("@target", ""), ("@predictions", 0L), ("@errors", 0L)))
            {
                await using var week = write.Command(
                    "INSERT INTO usage_weekly (week, department, endpoint, target, predictions, errors) VALUES (@week, @department, @endpoint, @target, @predictions, @errors) " +
                    "ON CONFLICT (week, department, endpoint, target) DO UPDATE SET predictions = usage_weekly.predictions + excluded.predictions, errors = usage_weekly.errors + excluded.errors;",
                    ("@week", 0), ("@department", ""), ("@endpoint", ""), ("@target", ""), ("@predictions", 0L), ("@errors", 0L));
                foreach (var c in counts)
                {
                    week.Parameters["@week"].Value = UsageDay.WeekOf(c.Day);
                    week.Parameters["@department"].Value = c.Department;
                    week.Parameters["@endpoint"].Value = c.Endpoint;
                    week.Parameters["@target"].Value = c.Target;
                    week.Parameters["@predictions"].Value = c.Predictions;
                    week.Parameters["@errors"].Value = c.Errors;
                    await week.ExecuteNonQueryAsync(cancellationToken);
                    add.Parameters["@day"].Value = c.Day;
                    add.Parameters["@department"].Value = c.Department;
                    add.Parameters["@endpoint"].Value = c.Endpoint;
                    add.Parameters["@target"].Value = c.Target;
                    add.Parameters["@predictions"].Value = c.Predictions;
                    add.Parameters["@errors"].Value = c.Errors;
                    await add.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            await using var lastSeen = write.Command(
                "INSERT INTO usage_user_last_seen (department, user_key, last_day) VALUES (@department, @user, @day) " +
                "ON CONFLICT (department, user_key) DO UPDATE SET last_day = greatest(usage_user_last_seen.last_day, excluded.last_day);",
                ("@day", 0), ("@department", ""), ("@user", ""));
            await using var onEndpoint = write.Command(
                "INSERT INTO usage_endpoint_users (department, endpoint, user_key, last_day) VALUES (@department, @endpoint, @user, @day) " +
                "ON CONFLICT (department, endpoint, user_key) DO UPDATE SET last_day = greatest(usage_endpoint_users.last_day, excluded.last_day);",
                ("@day", 0), ("@department", ""), ("@endpoint", ""), ("@user", ""));
            await using var inWeek = write.Command(
                "INSERT INTO usage_user_weeks (week, department, user_key) VALUES (@week, @department, @user) ON CONFLICT DO NOTHING;",
                ("@week", 0), ("@department", ""), ("@user", ""));
            await using var countWeek = write.Command(
                "INSERT INTO usage_week_users (week, department, users) VALUES (@week, @department, 1) " +
                "ON CONFLICT (week, department) DO UPDATE SET users = usage_week_users.users + 1;",
                ("@week", 0), ("@department", ""));
            foreach (var u in users)
            {
                lastSeen.Parameters["@day"].Value = u.Day;
                lastSeen.Parameters["@department"].Value = u.Department;
                lastSeen.Parameters["@user"].Value = u.UserKey;
                await lastSeen.ExecuteNonQueryAsync(cancellationToken);
                onEndpoint.Parameters["@day"].Value = u.Day;
                onEndpoint.Parameters["@department"].Value = u.Department;
                onEndpoint.Parameters["@endpoint"].Value = u.Endpoint;
                onEndpoint.Parameters["@user"].Value = u.UserKey;
                await onEndpoint.ExecuteNonQueryAsync(cancellationToken);
                inWeek.Parameters["@week"].Value = UsageDay.WeekOf(u.Day);
                inWeek.Parameters["@department"].Value = u.Department;
                inWeek.Parameters["@user"].Value = u.UserKey;
                if (await inWeek.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    countWeek.Parameters["@week"].Value = UsageDay.WeekOf(u.Day);
                    countWeek.Parameters["@department"].Value = u.Department;
                    await countWeek.ExecuteNonQueryAsync(cancellationToken);
                }
            }
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<UsageTotal>> TotalsAsync(int fromDay, int toDay, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<UsageTotal>>(async connection => await connection.ListAsync(
            "SELECT department, endpoint, sum(predictions)::bigint, sum(errors)::bigint FROM usage_daily WHERE day BETWEEN @from AND @to GROUP BY department, endpoint ORDER BY department, endpoint;",
            r => new UsageTotal(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3)), ("@from", fromDay), ("@to", toDay)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<UsageTotal>> WeekTotalsAsync(int fromWeek, int toWeek, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<UsageTotal>>(async connection => await connection.ListAsync(
            "SELECT department, endpoint, sum(predictions)::bigint, sum(errors)::bigint FROM usage_weekly WHERE week BETWEEN @from AND @to GROUP BY department, endpoint ORDER BY department, endpoint;",
            r => new UsageTotal(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3)), ("@from", fromWeek), ("@to", toWeek)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<UsageCount>> TargetTotalsAsync(string endpoint, int fromDay, int toDay, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<UsageCount>>(async connection => await connection.ListAsync(
            "SELECT department, target, sum(predictions)::bigint, sum(errors)::bigint FROM usage_daily WHERE day BETWEEN @from AND @to AND endpoint = @endpoint GROUP BY department, target ORDER BY department, target;",
            r => new UsageCount(toDay, r.GetString(0), endpoint, r.GetString(1), r.GetInt64(2), r.GetInt64(3)),
            ("@from", fromDay), ("@to", toDay), ("@endpoint", endpoint)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ActiveUsers>> ActiveUsersAsync(int sinceDay, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<ActiveUsers>>(async connection => await connection.ListAsync(
            "SELECT department, endpoint, count(*) FROM usage_endpoint_users WHERE last_day >= @since GROUP BY department, endpoint ORDER BY department, endpoint;",
            r => new ActiveUsers(r.GetString(0), r.GetString(1), r.GetInt64(2)), ("@since", sinceDay)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<(string Department, long Users)>> ActiveUsersByDepartmentAsync(
        int sinceDay, IReadOnlyList<string>? endpoints = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<(string, long)>>(async connection => await connection.ListAsync(
            endpoints is null
                ? "SELECT department, count(*) FROM usage_user_last_seen WHERE last_day >= @since GROUP BY department ORDER BY department;"
                : $"SELECT department, count(DISTINCT user_key) FROM usage_endpoint_users WHERE last_day >= @since{In("endpoint", endpoints)} GROUP BY department ORDER BY department;",
            r => (r.GetString(0), r.GetInt64(1)), [("@since", sinceDay), .. Values("endpoint", endpoints)]), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<WeeklyUsage>> WeeklyAsync(
        int fromDay, int toDay, IReadOnlyList<string>? departments = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<WeeklyUsage>>(async connection =>
        {
            var filter = In("department", departments);
            (string, object?)[] weekParameters = [("@from", UsageDay.WeekOf(fromDay)), ("@to", UsageDay.WeekOf(toDay)), .. Values("department", departments)];
            var users = await connection.ListAsync(
                $"SELECT week, sum(users)::bigint FROM usage_week_users WHERE week BETWEEN @from AND @to{filter} GROUP BY week;",
                r => (Week: r.GetInt32(0), Users: r.GetInt64(1)), weekParameters);
            var volume = await connection.ListAsync(
                $"SELECT week, sum(predictions)::bigint FROM usage_weekly WHERE week BETWEEN @from AND @to{filter} GROUP BY week;",
                r => (Week: r.GetInt32(0), Predictions: r.GetInt64(1)), weekParameters);
            var byUsers = users.ToDictionary(u => u.Week, u => u.Users);
            var byVolume = volume.ToDictionary(v => v.Week, v => v.Predictions);
            return [.. byUsers.Keys.Union(byVolume.Keys).Order()
                .Select(w => new WeeklyUsage(w, byUsers.GetValueOrDefault(w), byVolume.GetValueOrDefault(w)))];
        }, cancellationToken);

    // Parameterised IN lists: names are bound, never spliced into the SQL.
    private static string In(string column, IReadOnlyList<string>? values) => values is null
        ? ""
        : values.Count == 0 ? " AND false" : $" AND {column} IN ({string.Join(", ", values.Select((_, i) => $"@{column}{i}"))})";

    private static (string, object?)[] Values(string column, IReadOnlyList<string>? values) =>
        values is null ? [] : [.. values.Select((v, i) => ($"@{column}{i}", (object?)v))];
}

namespace Escala.Core.Adoption;

/// <summary>Predictions of one department on one endpoint and version on one day.</summary>
public readonly record struct UsageCount(int Day, string Department, string Endpoint, string Target, long Predictions, long Errors);

/// <summary>A pseudonymous user active in a department on an endpoint on a day.</summary>
public readonly record struct UserActivity(int Day, string Department, string Endpoint, string UserKey);

/// <summary>Predictions of a department on an endpoint over a period.</summary>
public sealed record UsageTotal(string Department, string Endpoint, long Predictions, long Errors);

/// <summary>Distinct users of a department on an endpoint active since a day.</summary>
public sealed record ActiveUsers(string Department, string Endpoint, long Users);

/// <summary>Distinct active users and predictions in one week.</summary>
public sealed record WeeklyUsage(int Week, long ActiveUsers, long Predictions);

/// <summary>
/// Durable usage counters, pre-aggregated per day (and per user per day), kept apart from the sampled prediction
/// log so adoption and cost are exact and survive restarts. Rows of the same key add up (several flushes, nodes).
/// Department "" stands for requests attributed to no department.
/// </summary>
public interface IUsageStore
{
    /// <summary>Adds prediction counts and records user activity (idempotent: a user's last active day and weeks only move forward).</summary>
    Task AddAsync(IReadOnlyList<UsageCount> counts, IReadOnlyList<UserActivity> users, CancellationToken cancellationToken = default);

    /// <summary>Predictions per department and endpoint over days [<paramref name="fromDay"/>, <paramref name="toDay"/>].</summary>
    Task<IReadOnlyList<UsageTotal>> TotalsAsync(int fromDay, int toDay, CancellationToken cancellationToken = default);

    /// <summary>Predictions per department and endpoint over whole weeks [<paramref name="fromWeek"/>, <paramref name="toWeek"/>] (the current week so far included).</summary>
    Task<IReadOnlyList<UsageTotal>> WeekTotalsAsync(int fromWeek, int toWeek, CancellationToken cancellationToken = default);

    /// <summary>Predictions per department and version of one endpoint over the days.</summary>
    Task<IReadOnlyList<UsageCount>> TargetTotalsAsync(string endpoint, int fromDay, int toDay, CancellationToken cancellationToken = default);

    /// <summary>
    /// Distinct users per department and endpoint active on or after <paramref name="sinceDay"/> (windows end today:
    /// users are kept by their last active day, one row each, so these counts stay cheap at any volume).
    /// </summary>
    Task<IReadOnlyList<ActiveUsers>> ActiveUsersAsync(int sinceDay, CancellationToken cancellationToken = default);

    /// <summary>Distinct users per department active on or after <paramref name="sinceDay"/> (a user of two endpoints counts once), optionally on some endpoints only.</summary>
    Task<IReadOnlyList<(string Department, long Users)>> ActiveUsersByDepartmentAsync(int sinceDay, IReadOnlyList<string>? endpoints = null, CancellationToken cancellationToken = default);

    /// <summary>Per week from <paramref name="fromDay"/>'s week to <paramref name="toDay"/>'s: distinct users and predictions, optionally of some departments only.</summary>
    Task<IReadOnlyList<WeeklyUsage>> WeeklyAsync(int fromDay, int toDay, IReadOnlyList<string>? departments = null, CancellationToken cancellationToken = default);
}

/// <summary>Secrets that belong to one installation (shared by every node), created on first use.</summary>
public interface IInstallationSecrets
{
    /// <summary>The secret named <paramref name="name"/>: 32 random bytes made and stored the first time it is asked for.</summary>
    Task<byte[]> GetOrCreateAsync(string name, CancellationToken cancellationToken = default);
}

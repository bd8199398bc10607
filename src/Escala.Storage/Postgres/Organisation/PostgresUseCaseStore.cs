using System.Collections.Immutable;
using System.Globalization;
using Escala.Core.Audit;
using Escala.Core.UseCases;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>(PostgreSQL) Use cases in the <c>use_cases</c> table (endpoint and department lists as JSON arrays, the value as exact decimal text).</summary>
public sealed class PostgresUseCaseStore(PostgresDatabase database) : IUseCaseStore
{
    private const string Columns = "name, description, owner_department, endpoints, departments, value_per_prediction, value_unit, created_at, updated_at";

    /// <inheritdoc/>
    public Task<UseCase?> FindAsync(string name, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync($"SELECT {Columns} FROM use_cases WHERE name = @name;", Read, ("@name", name)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<UseCase>> ListAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<UseCase>>(async connection => await connection.ListAsync($"SELECT {Columns} FROM use_cases ORDER BY name;", Read), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> TryAddAsync(UseCase useCase, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            if (await write.ScalarAsync<long>("SELECT count(*) FROM use_cases WHERE name = @name;", ("@name", useCase.Name)) > 0)
            {
                return false;
            }

            await write.ExecuteAsync(
                $"INSERT INTO use_cases ({Columns}) VALUES (@name, @description, @owner, @endpoints, @departments, @value, @unit, @created, @updated);",
                Parameters(useCase));
            await write.AppendAuditAsync(audit);
            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task UpdateAsync(UseCase useCase, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            var changed = await write.ExecuteAsync(
                "UPDATE use_cases SET description = @description, owner_department = @owner, endpoints = @endpoints, departments = @departments, " +
                "value_per_prediction = @value, value_unit = @unit, updated_at = @updated WHERE name = @name;",
                Parameters(useCase));
            if (changed != 1)
            {
                throw new InvalidOperationException($"Use case '{useCase.Name}' vanished during an update.");
            }

            await write.AppendAuditAsync(audit);
        }, cancellationToken);

    private static (string, object?)[] Parameters(UseCase u) =>
    [
        ("@name", u.Name), ("@description", u.Description), ("@owner", u.OwnerDepartment),
        ("@endpoints", PostgresValues.Json(u.Endpoints)), ("@departments", PostgresValues.Json(u.Departments)),
        ("@value", u.ValuePerPrediction.ToString(CultureInfo.InvariantCulture)), ("@unit", u.ValueUnit),
        ("@created", PostgresValues.Timestamp(u.CreatedAt)), ("@updated", PostgresValues.Timestamp(u.UpdatedAt)),
    ];

    private static UseCase Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.ReadStringOrNull(1), r.ReadStringOrNull(2),
        r.ReadJson<ImmutableArray<string>>(3), r.ReadJson<ImmutableArray<string>>(4),
        decimal.Parse(r.GetString(5), NumberStyles.Number, CultureInfo.InvariantCulture), r.GetString(6),
        r.ReadTimestamp(7), r.ReadTimestamp(8));
}

using Escala.Core.Audit;
using Escala.Core.Departments;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>Departments in PostgreSQL's <c>departments</c> table.</summary>
public sealed class PostgresDepartmentStore(PostgresDatabase database) : IDepartmentStore
{
    private const string Columns = "name, display_name, headcount, champion, created_at, updated_at";

    /// <inheritdoc/>
    public Task<Department?> FindAsync(string name, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            $"SELECT {Columns} FROM departments WHERE name = @name;", Read, ("@name", name)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Department>> ListAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<Department>>(async connection =>
            await connection.ListAsync($"SELECT {Columns} FROM departments ORDER BY name;", Read), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> TryAddAsync(Department department, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            var exists = await write.ScalarAsync<long>("SELECT count(*) FROM departments WHERE name = @name;", ("@name", department.Name));
            if (exists > 0)
            {
                return false;
            }

            await write.ExecuteAsync(
                $"INSERT INTO departments ({Columns}) VALUES (@name, @display, @headcount, @champion, @created, @updated);",
                Parameters(department));
            await write.AppendAuditAsync(audit);
            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task UpdateAsync(Department department, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            var changed = await write.ExecuteAsync(
                "UPDATE departments SET display_name = @display, headcount = @headcount, champion = @champion, updated_at = @updated WHERE name = @name;",
                Parameters(department));
            if (changed != 1)
            {
                throw new InvalidOperationException($"Department '{department.Name}' vanished during an update.");
            }

            await write.AppendAuditAsync(audit);
        }, cancellationToken);

    private static (string, object?)[] Parameters(Department d) =>
    [
        ("@name", d.Name), ("@display", d.DisplayName), ("@headcount", d.Headcount), ("@champion", d.Champion),
        ("@created", PostgresValues.Timestamp(d.CreatedAt)), ("@updated", PostgresValues.Timestamp(d.UpdatedAt)),
    ];

    private static Department Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.ReadStringOrNull(1), r.GetInt32(2), r.ReadStringOrNull(3), r.ReadTimestamp(4), r.ReadTimestamp(5));
}

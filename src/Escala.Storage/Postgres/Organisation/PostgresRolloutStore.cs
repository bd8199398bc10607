using Escala.Core.Audit;
using Escala.Core.Endpoints;
using Escala.Core.Rollouts;

namespace Escala.Storage.Postgres;

/// <summary>(PostgreSQL) Rollout plans in <c>rollout_plans</c> (the plan as one JSON document, guarded by its generation).</summary>
public sealed class PostgresRolloutStore(PostgresDatabase database) : IRolloutStore
{
    /// <inheritdoc/>
    public Task<RolloutPlan?> FindAsync(string name, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            "SELECT plan FROM rollout_plans WHERE name = @name;", r => r.ReadJson<RolloutPlan>(0), ("@name", name)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<RolloutPlan>> ListAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<RolloutPlan>>(async connection =>
            await connection.ListAsync("SELECT plan FROM rollout_plans ORDER BY name;", r => r.ReadJson<RolloutPlan>(0)), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> TryAddAsync(RolloutPlan plan, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            if (await write.ScalarAsync<long>("SELECT count(*) FROM rollout_plans WHERE name = @name;", ("@name", plan.Name)) > 0)
            {
                return false;
            }

            await write.ExecuteAsync(
                "INSERT INTO rollout_plans (name, use_case, endpoint, plan, generation, updated_at) VALUES (@name, @useCase, @endpoint, @plan, @generation, @updated);",
                ("@name", plan.Name), ("@useCase", plan.UseCase), ("@endpoint", plan.Endpoint), ("@plan", PostgresValues.Json(plan)),
                ("@generation", plan.Generation), ("@updated", PostgresValues.Timestamp(plan.UpdatedAt)));
            await write.AppendAuditAsync(audit);
            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public async Task<bool> TryUpdateAsync(RolloutPlan plan, long expectedGeneration, AuditEntry audit, EndpointChange? endpointChange, CancellationToken cancellationToken = default)
    {
        try
        {
            return await database.WriteAsync(async write =>
        {
            var changed = await write.ExecuteAsync(
                "UPDATE rollout_plans SET plan = @plan, generation = @generation, updated_at = @updated WHERE name = @name AND generation = @expected;",
                ("@name", plan.Name), ("@plan", PostgresValues.Json(plan)), ("@generation", plan.Generation),
                ("@updated", PostgresValues.Timestamp(plan.UpdatedAt)), ("@expected", expectedGeneration));
            if (changed != 1)
            {
                return false;
            }

            if (endpointChange is not null
                && !await PostgresEndpointStore.TryUpdateAsync(write, endpointChange.After, endpointChange.Before.Generation, endpointChange.Audit))
            {
                // The endpoint moved under the wave: undo the plan's row too by failing the whole transaction.
                throw new RolloutRaceException();
            }

            await write.AppendAuditAsync(audit);
            return true;
        }, cancellationToken);
        }
        catch (RolloutRaceException)
        {
            return false;
        }
    }

    private sealed class RolloutRaceException : Exception
    {
        public RolloutRaceException()
            : base("The endpoint changed while a rollout wave was being committed.")
        {
        }
    }
}

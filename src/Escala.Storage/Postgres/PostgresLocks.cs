namespace Escala.Storage.Postgres;

/// <summary>
/// The advisory lock keys Escala takes in PostgreSQL. One 64-bit key space is shared by every
/// application on the database, so the keys start with the bytes of "ESCALA" to keep clear of others.
/// </summary>
public static class PostgresLocks
{
    /// <summary>Held (session lock) while a node applies schema migrations, so nodes starting together migrate once.</summary>
    public const long Migrations = 0x45_53_43_41_4C_41_00_01;

    /// <summary>
    /// Taken (transaction lock) by every audited write: control-plane changes commit one at a time across
    /// all nodes, which keeps the audit chain one line and makes read-then-write numbering safe.
    /// </summary>
    public const long ControlPlane = 0x45_53_43_41_4C_41_00_02;

    /// <summary>Held (session lock, on a dedicated connection) by the node that runs cluster-wide jobs.</summary>
    public const long SchedulerLeader = 0x45_53_43_41_4C_41_00_03;
}

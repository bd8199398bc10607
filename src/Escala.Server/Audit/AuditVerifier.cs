using Escala.Core.Audit;

namespace Escala.Server.Audit;

/// <summary>
/// The full audit check: the hash chain, its end against the signed anchor kept outside the database, and the stored
/// security state (keys, stages, routes) against the state the audit log last recorded for it. Used by
/// <c>GET /api/v1/audit/verify</c>, <c>escala audit verify</c> and at startup.
/// </summary>
public sealed class AuditVerifier(IAuditLog log, IAuditAnchor anchor, IEnumerable<ISecurityState> states)
{
    /// <summary>Verifies everything; not intact when the chain, its anchor or any state disagrees.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var chain = await AuditChain.VerifyAsync(log.ReadAllAsync(cancellationToken), anchor.Read(), cancellationToken);
        var findings = await ReconcileAsync(cancellationToken);
        return findings.Count == 0 ? chain : chain with { IsIntact = false, StateFindings = findings };
    }

    /// <summary>Stored state that differs from its last audited state.</summary>
    public async Task<IReadOnlyList<string>> ReconcileAsync(CancellationToken cancellationToken = default)
    {
        var findings = new List<string>();
        foreach (var kind in states)
        {
            var stored = await kind.StoredAsync(cancellationToken);
            var audited = await log.LatestStatesAsync(kind.SubjectPrefix, kind.Actions, cancellationToken);
            findings.AddRange(SecurityStateCheck.Compare(kind, stored, audited));
        }

        return findings;
    }
}

namespace Escala.Core.Audit;

/// <summary>
/// The audit anchor of a backend that keeps none yet (PostgreSQL: many nodes append to one chain, and a per-node file
/// would not follow the shared head). Verification then checks the chain alone, and says that its tail is not anchored.
/// </summary>
public sealed class UnanchoredAudit : IAuditAnchor
{
    /// <inheritdoc/>
    public AuditAnchorState Read() => new(null, null);

    /// <inheritdoc/>
    public void Advance(AuditRecord head)
    {
    }
}

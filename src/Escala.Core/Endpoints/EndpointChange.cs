using Escala.Core.Audit;

namespace Escala.Core.Endpoints;

/// <summary>
/// A planned change to an endpoint: the state before and after, the audit entry that records it and
/// a sentence for the operator. Planned first and stored later, so the gateway can load and warm
/// every version the new state needs before anything is committed or served.
/// </summary>
public sealed record EndpointChange(Endpoint Before, Endpoint After, AuditEntry Audit, string Message);

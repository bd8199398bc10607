namespace Escala.Core.Access;

/// <summary>
/// What an API key may do. Roles are ordered: each one may do everything the ones below it may.
/// The numeric values are stored, so they never change.
/// </summary>
public enum Role
{
    /// <summary>Reads the registry, departments and status.</summary>
    Viewer = 1,
    /// <summary>Registers versions, sets aliases and cards, requests stage changes.</summary>
    Scientist = 2,
    /// <summary>Approves or rejects promotions; reads the audit log.</summary>
    Approver = 3,
    /// <summary>Runs the gateway: endpoints, deployments, rollbacks.</summary>
    Operator = 4,
    /// <summary>Manages keys, departments and governance settings.</summary>
    Admin = 5,
}

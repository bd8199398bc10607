namespace Escala.Core.Routing;

/// <summary>Why a change to a routing table was refused; the server maps each to a stable problem type.</summary>
public enum RoutingError
{
    /// <summary>No error.</summary>
    None,

    /// <summary>The request names something that does not fit the table (bad weights, steps, unknown version).</summary>
    Invalid,

    /// <summary>Nothing is in progress to promote.</summary>
    NothingToPromote,

    /// <summary>Nothing is in progress and no previous version is known.</summary>
    NothingToRollBack,

    /// <summary>A rollout is already running in this scope; promote or roll it back first.</summary>
    RolloutInProgress,

    /// <summary>The strategy needs a version already serving this scope.</summary>
    NoLiveVersion,
}

namespace Escala.Core.Routing;

/// <summary>
/// The result of asking a policy to promote, roll back or advance: the next policy (null when
/// the scope should be removed, e.g. a department rule rolled back to nothing) or a refusal that
/// says why. Refusals are values because they are expected (an operator promoting twice).
/// </summary>
public readonly record struct PolicyStep
{
    private PolicyStep(bool succeeded, TrafficPolicy? next, RoutingError error, string message)
    {
        Succeeded = succeeded;
        Next = next;
        Error = error;
        Message = message;
    }

    /// <summary>True when the step applies.</summary>
    public bool Succeeded { get; }

    /// <summary>The policy after the step; null means "no policy left in this scope".</summary>
    public TrafficPolicy? Next { get; }

    /// <summary>Why the step was refused (<see cref="RoutingError.None"/> on success).</summary>
    public RoutingError Error { get; }

    /// <summary>What happened, or what to do instead, in words an operator reads.</summary>
    public string Message { get; }

    /// <summary>The step applies and leaves <paramref name="next"/>.</summary>
    public static PolicyStep To(TrafficPolicy? next, string message) => new(true, next, RoutingError.None, message);

    /// <summary>The step is refused.</summary>
    public static PolicyStep Refused(RoutingError error, string message) => new(false, null, error, message);
}

namespace Escala.Core.Routing;

/// <summary>The outcome of a change to a routing table: the new table and what happened, or a refusal.</summary>
public sealed record RoutingChange
{
    private RoutingChange(RoutingTable? table, RoutingError error, string message)
    {
        Table = table;
        Error = error;
        Message = message;
    }

    /// <summary>True when the change applies.</summary>
    public bool Succeeded => Error == RoutingError.None;

    /// <summary>The table after the change (null when refused).</summary>
    public RoutingTable? Table { get; }

    /// <summary>Why it was refused, or <see cref="RoutingError.None"/>.</summary>
    public RoutingError Error { get; }

    /// <summary>What happened or what to do instead.</summary>
    public string Message { get; }

    /// <summary>A change that applied.</summary>
    public static RoutingChange Applied(RoutingTable table, string message) => new(table, RoutingError.None, message);

    /// <summary>A refused change.</summary>
    public static RoutingChange Refused(RoutingError error, string message) => new(null, error, message);
}

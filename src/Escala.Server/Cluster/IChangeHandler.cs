namespace Escala.Server.Cluster;

/// <summary>Reloads one kind of cached state (one <see cref="Core.Changes.ChangeTopics"/> topic) when another node changed it.</summary>
public interface IChangeHandler
{
    /// <summary>The topic this handler applies.</summary>
    string Topic { get; }

    /// <summary>Applies changes to <paramref name="keys"/> (distinct, in revision order).</summary>
    Task ApplyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>Reloads everything of this topic (first pass, or the node fell further behind than the log keeps).</summary>
    Task ReloadAllAsync(CancellationToken cancellationToken);
}

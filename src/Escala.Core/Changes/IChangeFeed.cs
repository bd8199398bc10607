namespace Escala.Core.Changes;

/// <summary>
/// The shared log of changes that nodes cache, in revision order (the order they committed). Nodes
/// apply it from the last revision they applied; <see cref="WaitAsync"/> only saves them from polling,
/// so a lost wake-up delays a change by at most one wait, never loses it.
/// </summary>
public interface IChangeFeed
{
    /// <summary>The newest revision (0 when nothing changed yet).</summary>
    Task<long> HeadAsync(CancellationToken cancellationToken);

    /// <summary>Changes after <paramref name="revision"/> in revision order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<Change>> ReadAfterAsync(long revision, int limit, CancellationToken cancellationToken);

    /// <summary>Returns when a change may have been committed since the last call, or after <paramref name="timeout"/>.</summary>
    Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken);
}

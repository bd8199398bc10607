namespace Escala.Core.Changes;

/// <summary>
/// One entry of the shared change log: revision <paramref name="Revision"/> changed <paramref name="Key"/> of
/// <paramref name="Topic"/>; <paramref name="Local"/> when this node made it (and applied it already).
/// </summary>
public sealed record Change(long Revision, string Topic, string Key, bool Local);

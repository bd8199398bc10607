namespace Escala.Core.Registry;

/// <summary>
/// Where a version came from: the fingerprint of its training data, the pipeline run that made it,
/// the code revision and the version it was derived from. Each is queryable both ways: a version
/// shows its lineage, and a fingerprint, run or parent finds the versions made from it.
/// </summary>
public sealed record Lineage(string? DataFingerprint, string? PipelineRun, string? CodeRevision, VersionRef? Parent)
{
    /// <summary>No recorded lineage.</summary>
    public static Lineage Empty { get; } = new(null, null, null, null);
}

/// <summary>A lineage search; null fields match anything, at least one must be set.</summary>
public sealed record LineageQuery(string? DataFingerprint, string? PipelineRun, string? CodeRevision, VersionRef? Parent)
{
    /// <summary>True when nothing is asked for.</summary>
    public bool IsEmpty => DataFingerprint is null && PipelineRun is null && CodeRevision is null && Parent is null;
}

/// <summary>A version's lineage both ways: its ancestors (parent, grandparent...) and the versions derived from it.</summary>
public sealed record LineageView(VersionRef Version, Lineage Lineage, IReadOnlyList<VersionRef> Ancestors, IReadOnlyList<VersionRef> Children);

using System.Collections.Immutable;
using Escala.Core.Artifacts;

namespace Escala.Core.Registry;

/// <summary>
/// A registered version: immutable once written except for its stage. The artifact is the ONNX file
/// by SHA-256; metrics are numbers by name, parameters and tags are text by name.
/// </summary>
public sealed record ModelVersion(
    string Model,
    int Version,
    ArtifactId Artifact,
    long SizeBytes,
    string? Description,
    ImmutableSortedDictionary<string, double> Metrics,
    ImmutableSortedDictionary<string, string> Params,
    ImmutableSortedDictionary<string, string> Tags,
    Lineage Lineage,
    ModelSignature? Signature,
    Stage Stage,
    DateTimeOffset CreatedAt,
    string CreatedBy)
{
    /// <summary>This version as <c>model:version</c>.</summary>
    public VersionRef Ref => new(Model, Version);
}

/// <summary>Everything about a new version but its number, which the store assigns.</summary>
public sealed record VersionDraft(
    string Model,
    ArtifactId Artifact,
    long SizeBytes,
    string? Description,
    ImmutableSortedDictionary<string, double> Metrics,
    ImmutableSortedDictionary<string, string> Params,
    ImmutableSortedDictionary<string, string> Tags,
    Lineage Lineage,
    ModelSignature? Signature,
    DateTimeOffset CreatedAt,
    string CreatedBy)
{
    /// <summary>The version this draft becomes as number <paramref name="version"/>.</summary>
    public ModelVersion AsVersion(int version) =>
        new(Model, version, Artifact, SizeBytes, Description, Metrics, Params, Tags, Lineage, Signature, Stage.None, CreatedAt, CreatedBy);
}

/// <summary>An alias (<c>champion</c>, <c>challenger</c>, any name) pointing at a version of a model.</summary>
public sealed record ModelAlias(string Model, string Alias, int Version, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>A version's model card in markdown (intended use, data, metrics, fairness, limitations).</summary>
public sealed record ModelCard(string Model, int Version, string Markdown, DateTimeOffset UpdatedAt, string UpdatedBy);

using Escala.Core.Artifacts;

namespace Escala.Core.Datasets;

/// <summary>One column of a dataset: its name and kind (<c>numeric</c> or <c>categorical</c>).</summary>
public sealed record DatasetColumn(string Name, string Kind);

/// <summary>
/// One immutable version of a named CSV dataset. <see cref="Fingerprint"/> (<c>sha256:</c> of the file's bytes) is what
/// model lineage records; the bytes live in the content-addressed artifact store under the same hash.
/// </summary>
/// <param name="Name">The dataset.</param>
/// <param name="Version">1, 2, ... in upload order.</param>
/// <param name="Fingerprint"><c>sha256:</c> and the SHA-256 of the CSV bytes: what lineage records, and where the bytes are stored.</param>
/// <param name="Rows">Data rows (header excluded).</param>
/// <param name="Columns">Columns in file order.</param>
/// <param name="Source">How it was made: <c>upload</c>, or <c>feedback:ENDPOINT since T</c>.</param>
/// <param name="CreatedAt">When.</param>
/// <param name="CreatedBy">Who (audit name).</param>
public sealed record DatasetVersion(
    string Name, int Version, string Fingerprint, long Rows, IReadOnlyList<DatasetColumn> Columns, string Source, DateTimeOffset CreatedAt, string CreatedBy)
{
    /// <summary>The stored bytes' address.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ArtifactId Artifact => ArtifactId.Parse(Fingerprint["sha256:".Length..]);

    /// <summary><c>name@version</c>.</summary>
    public string Ref => $"{Name}@{Version}";
}

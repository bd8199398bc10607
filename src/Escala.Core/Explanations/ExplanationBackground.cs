namespace Escala.Core.Explanations;

/// <summary>A version's explanation background: a sample of its baseline reference table (CSV with its header).</summary>
/// <param name="Model">The model.</param>
/// <param name="Version">The version.</param>
/// <param name="Csv">The sampled rows as CSV, header first.</param>
/// <param name="Rows">Data rows in <paramref name="Csv"/>.</param>
/// <param name="CreatedAt">When it was stored.</param>
/// <param name="CreatedBy">Who stored it.</param>
public sealed record ExplanationBackground(string Model, int Version, string Csv, int Rows, DateTimeOffset CreatedAt, string CreatedBy)
{
    /// <summary>What the audit log records: the size and a hash, never the rows.</summary>
    public BackgroundSummary Summary() => new(
        Rows, System.Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Csv))));
}

/// <summary>An explanation background in two fields.</summary>
/// <param name="Rows">Sampled rows.</param>
/// <param name="Sha256">SHA-256 of the stored CSV.</param>
public sealed record BackgroundSummary(int Rows, string Sha256);

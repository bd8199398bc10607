namespace Escala.Core.Monitoring.Baselines;

/// <summary>Where a stored baseline came from.</summary>
public enum BaselineSource
{
    /// <summary>A reference table (CSV) uploaded with or after the registration.</summary>
    Reference,

    /// <summary>The first N rows the version served.</summary>
    Predictions,
}

/// <summary>A version's baseline profile as stored with it.</summary>
/// <param name="Model">The model.</param>
/// <param name="Version">The version number.</param>
/// <param name="Profile">The profile.</param>
/// <param name="Source">Where it came from.</param>
/// <param name="CreatedAt">When it was stored.</param>
/// <param name="CreatedBy">Who stored it (<c>system</c> for one built from predictions).</param>
public sealed record StoredBaseline(string Model, int Version, BaselineProfile Profile, BaselineSource Source, DateTimeOffset CreatedAt, string CreatedBy)
{
    /// <summary>The summary shown with the version and written to the audit log (never the whole profile).</summary>
    public BaselineSummary Summary() => new(
        Source,
        Profile.RowCount,
        [.. Profile.Features.Select(f => f.Name)],
        Profile.Prediction?.Name,
        System.Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Profile.ToJson()))),
        CreatedAt,
        CreatedBy);
}

/// <summary>What a version's baseline is, in a few fields.</summary>
/// <param name="Source">Reference table or predictions.</param>
/// <param name="Rows">Rows profiled.</param>
/// <param name="Features">Feature names, in order.</param>
/// <param name="Prediction">The prediction column's name, when the profile has one.</param>
/// <param name="Sha256">SHA-256 of the stored profile JSON (what the audit log records).</param>
/// <param name="CreatedAt">When it was stored.</param>
/// <param name="CreatedBy">Who stored it.</param>
public sealed record BaselineSummary(
    BaselineSource Source, long Rows, IReadOnlyList<string> Features, string? Prediction, string Sha256, DateTimeOffset CreatedAt, string CreatedBy);

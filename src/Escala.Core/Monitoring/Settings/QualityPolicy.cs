namespace Escala.Core.Monitoring.Settings;

/// <summary>What the gateway does with a request row that fails the data-quality check against the version's baseline.</summary>
public enum QualityPolicy
{
    /// <summary>Answer it, count the problems per field and log them (the default: a baseline that is slightly off never blocks traffic).</summary>
    Flag,

    /// <summary>Refuse it with a 400 problem naming the field and the problem.</summary>
    Reject,

    /// <summary>Do not check rows at all (drift windows still count them).</summary>
    Off,
}

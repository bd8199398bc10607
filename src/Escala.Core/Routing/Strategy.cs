namespace Escala.Core.Routing;

/// <summary>The rollout strategies an endpoint scope can run.</summary>
public enum Strategy
{
    /// <summary>One version takes all traffic.</summary>
    Single,

    /// <summary>A fixed percentage split between versions.</summary>
    Split,

    /// <summary>A new version takes a growing share in steps, advanced by command or timer.</summary>
    Canary,

    /// <summary>A new version is warmed on standby, then takes all traffic at once; the old one stays warm.</summary>
    BlueGreen,

    /// <summary>A new version receives a copy of traffic; its answers are logged, never returned.</summary>
    Shadow,

    /// <summary>Versions split by a stable hash of a subject key, so one subject always sees one variant.</summary>
    Ab,
}

/// <summary>The CLI and API spelling of <see cref="Strategy"/>.</summary>
public static class StrategyNames
{
    /// <summary>Every accepted name, for help texts and error messages.</summary>
    public const string All = "single, split, canary, blue-green, shadow, ab";

    /// <summary>The name of <paramref name="strategy"/>.</summary>
    public static string Name(this Strategy strategy) => strategy switch
    {
        Strategy.Single => "single",
        Strategy.Split => "split",
        Strategy.Canary => "canary",
        Strategy.BlueGreen => "blue-green",
        Strategy.Shadow => "shadow",
        Strategy.Ab => "ab",
        _ => throw new ArgumentOutOfRangeException(nameof(strategy)),
    };

    /// <summary>Parses a strategy name (case-insensitive); false when it is not one of <see cref="All"/>.</summary>
    public static bool TryParse(string? text, out Strategy strategy)
    {
        strategy = (text ?? string.Empty).ToLowerInvariant() switch
        {
            "single" => Strategy.Single,
            "split" => Strategy.Split,
            "canary" => Strategy.Canary,
            "blue-green" or "bluegreen" => Strategy.BlueGreen,
            "shadow" => Strategy.Shadow,
            "ab" or "a/b" => Strategy.Ab,
            _ => (Strategy)(-1),
        };
        return strategy >= 0;
    }
}

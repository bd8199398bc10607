using System.Text.Json.Serialization;

namespace Escala.Core.Routing;

/// <summary>
/// A rollout strategy for one scope of an endpoint (the default scope or one department): which
/// targets answer and in what shares, and how promote and rollback move it along. Policies are
/// immutable values; every transition returns a new one, so a routing snapshot never changes
/// under a request that is reading it.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "strategy")]
[JsonDerivedType(typeof(SinglePolicy), "single")]
[JsonDerivedType(typeof(SplitPolicy), "split")]
[JsonDerivedType(typeof(CanaryPolicy), "canary")]
[JsonDerivedType(typeof(BlueGreenPolicy), "blue-green")]
[JsonDerivedType(typeof(ShadowPolicy), "shadow")]
[JsonDerivedType(typeof(AbTestPolicy), "ab")]
public abstract record TrafficPolicy
{
    /// <summary>The strategy's name as the CLI and API spell it.</summary>
    [JsonIgnore]
    public abstract Strategy Strategy { get; }

    /// <summary>The target that answers "by default" in this scope: what a new rollout starts from and rollback returns to.</summary>
    [JsonIgnore]
    public abstract string Live { get; }

    /// <summary>Every target this policy sends traffic to, mirrors to or keeps warm.</summary>
    [JsonIgnore]
    public abstract IReadOnlyList<string> Targets { get; }

    /// <summary>When a timer should advance this policy by itself, if ever.</summary>
    [JsonIgnore]
    public virtual DateTimeOffset? AdvanceDueAt => null;

    /// <summary>The policy reduced to what the router reads.</summary>
    public abstract TrafficShape Shape();

    /// <summary>Moves the rollout one step forward; <paramref name="to"/> picks the winner where there is a choice.</summary>
    public abstract PolicyStep Promote(DateTimeOffset now, string? to);

    /// <summary>Moves traffic back to the version that served before this rollout.</summary>
    public abstract PolicyStep Rollback(DateTimeOffset now);

    /// <summary>One line for an operator, e.g. "canary: 5% credit:2, 95% credit:1 (step 1 of 4)".</summary>
    public abstract string Describe();

    private protected static string FormatPercent(double value) => value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "%";
}

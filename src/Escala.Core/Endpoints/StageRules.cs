using System.Text.Json.Serialization;
using Escala.Core.Registry;
using Escala.Core.Routing;

namespace Escala.Core.Endpoints;

/// <summary>How much of an endpoint's live answers a version may give, from least to most.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StageUse>))]
public enum StageUse
{
    /// <summary>Not at all: the version may not be a target of the endpoint.</summary>
    [JsonStringEnumMemberName("off")]
    Off = 0,
    /// <summary>Only as a shadow (a copy of requests, never an answer) or kept warm without traffic.</summary>
    [JsonStringEnumMemberName("shadow")]
    Shadow = 1,
    /// <summary>A share below 100%: a canary, a split or A/B variant, a fallback; never all of a scope's traffic.</summary>
    [JsonStringEnumMemberName("partial")]
    Partial = 2,
    /// <summary>Any share, all traffic included.</summary>
    [JsonStringEnumMemberName("full")]
    Full = 3,
}

/// <summary>
/// Which stages may take which share of an endpoint's live answers: what makes approval mean something
/// on the data plane. By default only production versions take all traffic, staging versions take a
/// share below 100% (canary, split, A/B variant, fallback) and versions in stage none are only
/// shadows; archived versions are never added. Checked on every change that gives a version more
/// traffic than it had (deploy, promote, every canary step, fallback); a rollback, which returns
/// traffic to what served before, is not held by them.
/// </summary>
public sealed record StageRules(
    StageUse Production = StageUse.Full,
    StageUse Staging = StageUse.Partial,
    StageUse None = StageUse.Shadow,
    StageUse Archived = StageUse.Off)
{
    /// <summary>The most a version in <paramref name="stage"/> may take.</summary>
    public StageUse For(Stage stage) => stage switch
    {
        Stage.Production => Production,
        Stage.Staging => Staging,
        Stage.None => None,
        _ => Archived,
    };

    /// <summary>The rule as written in settings, e.g. <c>staging=partial</c>.</summary>
    public static string Describe(Stage stage, StageUse use) =>
        $"{StageTransitions.ToName(stage)}={Name(use)}";

    /// <summary>The setting's spelling of <paramref name="use"/>.</summary>
    public static string Name(StageUse use) => use switch
    {
        StageUse.Full => "full",
        StageUse.Partial => "partial",
        StageUse.Shadow => "shadow",
        _ => "off",
    };

    /// <summary>
    /// The use each local version gets in <paramref name="table"/>, with its largest share of a scope's traffic:
    /// full when it answers all of a scope, partial for a share below 100% or as the fallback, shadow for a
    /// mirror or a warm version with no share.
    /// </summary>
    public static Dictionary<string, (LocalModelTarget Target, StageUse Use, double Share)> UsesOf(RoutingTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var uses = new Dictionary<string, (LocalModelTarget, StageUse, double)>(StringComparer.Ordinal);
        foreach (var target in table.Targets.OfType<LocalModelTarget>())
        {
            uses[target.Key] = (target, StageUse.Off, 0);
        }

        void Raise(string key, StageUse use, double share)
        {
            if (uses.TryGetValue(key, out var current))
            {
                uses[key] = (current.Item1, use > current.Item2 ? use : current.Item2, Math.Max(share, current.Item3));
            }
        }

        foreach (var (_, policy) in table.Scopes())
        {
            var shape = policy.Shape();
            var total = shape.Serving.Sum(s => Math.Max(0, s.Weight));
            foreach (var serving in shape.Serving)
            {
                if (serving.Weight <= 0 || total <= 0)
                {
                    Raise(serving.Target, StageUse.Shadow, 0);
                    continue;
                }

                var share = serving.Weight / total;
                Raise(serving.Target, share >= 1 ? StageUse.Full : StageUse.Partial, share);
            }

            if (shape.Shadow is { } shadow)
            {
                Raise(shadow, StageUse.Shadow, 0);
            }
        }

        if (table.Fallback is { } fallback)
        {
            Raise(fallback, StageUse.Partial, 0);
        }

        return uses;
    }

    /// <summary>
    /// The first version <paramref name="after"/> gives more than it had in <paramref name="before"/> (a higher use or
    /// a larger share) that its stage does not allow, as a message naming the rule; null when the change keeps to the rules.
    /// </summary>
    public async Task<string?> CheckAsync(
        string endpoint, RoutingTable before, RoutingTable after, Func<LocalModelTarget, CancellationToken, Task<Stage>> stageOf,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stageOf);
        var old = UsesOf(before);
        foreach (var (key, (target, use, share)) in UsesOf(after))
        {
            var had = old.TryGetValue(key, out var was) ? was : (target, StageUse.Off, 0.0);
            if (use <= had.Item2 && share <= had.Item3)
            {
                continue;
            }

            var stage = await stageOf(target, cancellationToken).ConfigureAwait(false);
            var allowed = For(stage);
            if (use <= allowed)
            {
                continue;
            }

            var given = use switch
            {
                StageUse.Full => "all of a scope's traffic",
                StageUse.Partial => share > 0 ? $"{share * 100:0.##}% of live answers" : "live answers as the fallback",
                _ => "a place as a shadow",
            };
            var next = stage switch
            {
                Stage.None => $"move it to staging (`escala models stage {target.Model} {target.Version} staging`) for a canary or A/B share, or deploy it as a shadow",
                Stage.Staging => $"request production for it (`escala models stage {target.Model} {target.Version} production`) and have it approved before it takes all traffic",
                Stage.Archived => $"restore it to staging (`escala models stage {target.Model} {target.Version} staging`) first",
                _ => "ask an admin to review the endpoint's stage rules",
            };
            return $"{key} is in stage {StageTransitions.ToName(stage)} and this change would give it {given}; endpoint '{endpoint}' allows stage "
                + $"{StageTransitions.ToName(stage)} {(allowed == StageUse.Off ? "no traffic at all" : $"at most '{Name(allowed)}'")} (stage rule {Describe(stage, allowed)}). Instead: {next}.";
        }

        return null;
    }
}

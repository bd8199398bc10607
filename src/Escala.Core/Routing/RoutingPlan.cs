using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Escala.Core.Routing;

/// <summary>
/// A <see cref="RoutingTable"/> compiled for the hot path: targets are numbered once, each
/// scope's shares become cumulative thresholds over the 32-bit draw space, and departments are
/// a frozen case-insensitive dictionary. <see cref="Route"/> takes no lock and allocates nothing;
/// the plan is immutable, so a request that captured it keeps a consistent view while a newer
/// plan is swapped in.
/// </summary>
public sealed class RoutingPlan
{
    private readonly Scope? _default;
    private readonly FrozenDictionary<string, Scope> _departments;

    private RoutingPlan(RoutingTable table, ImmutableArray<string> targets, Scope? defaultScope, FrozenDictionary<string, Scope> departments, int fallback)
    {
        Table = table;
        Targets = targets;
        _default = defaultScope;
        _departments = departments;
        Fallback = fallback;
    }

    /// <summary>The table this plan was compiled from.</summary>
    public RoutingTable Table { get; }

    /// <summary>Target keys by index; every index a decision returns points here.</summary>
    public ImmutableArray<string> Targets { get; }

    /// <summary>The index of the fallback version, or -1.</summary>
    public int Fallback { get; }

    /// <summary>Compiles <paramref name="table"/>.</summary>
    public static RoutingPlan Compile(RoutingTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var keys = table.Targets.Select(t => t.Key).ToImmutableArray();
        var index = keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i, StringComparer.Ordinal);

        var departments = new Dictionary<string, Scope>(StringComparer.OrdinalIgnoreCase);
        foreach (var route in table.Departments)
        {
            departments[route.Department] = Scope.Compile(route.Policy.Shape(), index);
        }

        var fallback = table.Fallback is { } f && index.TryGetValue(f, out var fi) ? fi : -1;
        var defaultScope = table.Default is null ? null : Scope.Compile(table.Default.Shape(), index);
        return new RoutingPlan(table, keys, defaultScope, departments.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), fallback);
    }

    /// <summary>Picks the target (and shadow) for one request.</summary>
    public RouteDecision Route(in RouteRequest request)
    {
        var fromDepartment = false;
        Scope? scope = null;
        if (request.Department is { } department && _departments.TryGetValue(department, out var own))
        {
            scope = own;
            fromDepartment = true;
        }

        scope ??= _default;
        if (scope is null)
        {
            return RouteDecision.NotRouted;
        }

        var reason = fromDepartment ? RouteReason.Department : RouteReason.Default;
        uint draw;
        if (scope.StickySalt is null)
        {
            draw = request.TrafficDraw;
        }
        else if (string.IsNullOrEmpty(request.Subject))
        {
            return new RouteDecision(scope.Control, Shadow(scope, request.ShadowDraw), RouteReason.NoSubject, fromDepartment);
        }
        else
        {
            draw = StableHash.Bucket(scope.StickySalt, request.Subject);
            reason = RouteReason.Sticky;
        }

        return new RouteDecision(scope.Pick(draw), Shadow(scope, request.ShadowDraw), reason, fromDepartment);
    }

    /// <summary>The index of <paramref name="key"/>, or -1.</summary>
    public int IndexOf(string key) => Targets.IndexOf(key);

    private static int Shadow(Scope scope, uint draw) => scope.Shadow >= 0 && draw < scope.ShadowThreshold ? scope.Shadow : -1;

    /// <summary>One scope's shares: target i takes draws in [Cumulative[i-1], Cumulative[i]).</summary>
    private sealed class Scope
    {
        private const ulong DrawSpace = 1UL << 32;

        private Scope(int[] targets, ulong[] cumulative, string? stickySalt, int shadow, ulong shadowThreshold)
        {
            TargetsByShare = targets;
            Cumulative = cumulative;
            StickySalt = stickySalt;
            Shadow = shadow;
            ShadowThreshold = shadowThreshold;
        }

        public int[] TargetsByShare { get; }

        public ulong[] Cumulative { get; }

        public string? StickySalt { get; }

        public int Shadow { get; }

        public ulong ShadowThreshold { get; }

        public int Control => TargetsByShare[0];

        public int Pick(uint draw)
        {
            var cumulative = Cumulative;
            for (var i = 0; i < cumulative.Length; i++)
            {
                if (draw < cumulative[i])
                {
                    return TargetsByShare[i];
                }
            }

            // Unreachable: the last threshold is 2^32, above every draw.
            return TargetsByShare[^1];
        }

        public static Scope Compile(TrafficShape shape, Dictionary<string, int> index)
        {
            var n = shape.Serving.Length;
            var targets = new int[n];
            var cumulative = new ulong[n];
            var total = 0.0;
            foreach (var w in shape.Serving)
            {
                total += w.Weight;
            }

            if (!(total > 0))
            {
                throw new ArgumentException("A traffic shape needs a positive total weight.", nameof(shape));
            }

            var running = 0.0;
            for (var i = 0; i < n; i++)
            {
                targets[i] = index[shape.Serving[i].Target];
                running += shape.Serving[i].Weight;
                // Thresholds over 2^32 draws: exact to one part in four billion, so even a 0.001% canary gets its share.
                cumulative[i] = i == n - 1 ? DrawSpace : (ulong)Math.Round(running / total * DrawSpace);
            }

            var shadow = shape.Shadow is { } s ? index[s] : -1;
            var shadowThreshold = (ulong)Math.Round(Math.Clamp(shape.ShadowPercent, 0, 100) / 100 * DrawSpace);
            return new Scope(targets, cumulative, shape.StickySalt, shadow, shadowThreshold);
        }
    }
}

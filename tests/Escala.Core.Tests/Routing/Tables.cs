using System.Collections.Immutable;
using Escala.Core.Routing;

namespace Escala.Core.Tests.Routing;

/// <summary>Routing tables built the way operators build them: deploy, then roll out.</summary>
internal static class Tables
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    public static LocalModelTarget V(int version, string model = "credit") => new(model, version);

    public static RoutingTable Deployed(Deployment first, params Deployment[] rest)
    {
        var table = RoutingTable.Empty;
        foreach (var d in rest.Prepend(first))
        {
            table = Ok(table.Deploy(d, T0));
        }

        return table;
    }

    public static RoutingTable Single(int version) => Deployed(new Deployment(V(version), Strategy.Single));

    public static RoutingTable Ok(RoutingChange change)
    {
        Assert.True(change.Succeeded, change.Message);
        return change.Table!;
    }

    public static ImmutableArray<double> Steps(params double[] steps) => [.. steps];
}

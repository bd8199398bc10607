namespace Escala.Core.Costs;

/// <summary>
/// Splits a total in proportion to usage so the shares add up to the total exactly, in the smallest unit
/// (cents): each share gets the floor of its exact amount, and the cents left over go one each to the
/// largest remainders (Hamilton's largest-remainder method; ties go to the larger usage, then the name).
/// </summary>
public static class Chargeback
{
    /// <summary>The shares of <paramref name="total"/> (rounded to <paramref name="decimals"/>) by <paramref name="usage"/>.</summary>
    public static IReadOnlyList<(string Name, decimal Amount)> Allocate(decimal total, IReadOnlyList<(string Name, long Usage)> usage, int decimals = 2)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (total < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(total), "A cost to charge back cannot be negative.");
        }

        if (usage.Any(u => u.Usage < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(usage), "Usage cannot be negative.");
        }

        var scale = Pow10(decimals);
        var units = decimal.Round(total * scale, 0, MidpointRounding.AwayFromZero);
        var sum = usage.Sum(u => (decimal)u.Usage);
        if (usage.Count == 0)
        {
            return [];
        }

        if (sum == 0)
        {
            return [.. usage.Select(u => (u.Name, 0m))];
        }

        var shares = usage.Select((u, i) =>
        {
            var exact = units * u.Usage / sum;
            var floor = decimal.Floor(exact);
            return (Index: i, u.Name, u.Usage, Floor: floor, Remainder: exact - floor);
        }).ToArray();
        var left = (long)(units - shares.Sum(s => s.Floor));
        var extra = shares
            .OrderByDescending(s => s.Remainder).ThenByDescending(s => s.Usage).ThenBy(s => s.Name, StringComparer.Ordinal)
            .Take((int)left)
            .Select(s => s.Index)
            .ToHashSet();
        return [.. shares.Select(s => (s.Name, (s.Floor + (extra.Contains(s.Index) ? 1 : 0)) / scale))];
    }

    private static decimal Pow10(int decimals)
    {
        var scale = 1m;
        for (var i = 0; i < decimals; i++)
        {
            scale *= 10;
        }

        return scale;
    }
}

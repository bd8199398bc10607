using Escala.Core.Problems;

namespace Escala.Core.Costs;

/// <summary>
/// What running a use case costs, in any mix of the three usual shapes: nodes paid by the hour, fixed monthly
/// costs (licences, support staff, the team's share), and a price per 1,000 predictions (a hosted model or an
/// internal transfer price). One model per installation (scope <c>*</c>) and optionally one per use case.
/// </summary>
/// <param name="Scope"><c>*</c> for the installation, else a use case's name.</param>
/// <param name="Currency">The currency every amount is in, e.g. EUR.</param>
/// <param name="NodeCostPerHour">What one node costs per hour.</param>
/// <param name="Nodes">Nodes running now.</param>
/// <param name="FixedMonthly">Fixed costs per month.</param>
/// <param name="PricePer1000">Price per 1,000 predictions.</param>
public sealed record CostModel(string Scope, string Currency, decimal NodeCostPerHour, int Nodes, decimal FixedMonthly, decimal PricePer1000)
{
    /// <summary>The scope of the installation-wide model.</summary>
    public const string Installation = "*";

    /// <summary>Hours in the month the cost is reported for: a 30-day month.</summary>
    public const int HoursPerMonth = 720;

    /// <summary>The month's cost with <paramref name="nodes"/> nodes and <paramref name="predictions"/> predictions.</summary>
    public decimal MonthlyCost(long predictions, int? nodes = null) =>
        NodeCostPerHour * (nodes ?? Nodes) * HoursPerMonth + FixedMonthly + PricePer1000 * predictions / 1000m;

    /// <summary>The model, or validation-failed naming the amount that is negative or absurd.</summary>
    public CostModel Validated()
    {
        Require("node cost per hour", NodeCostPerHour);
        Require("fixed monthly cost", FixedMonthly);
        Require("price per 1,000 predictions", PricePer1000);
        if (Nodes is < 0 or > 100_000)
        {
            throw ProblemTypes.ValidationFailed.With($"nodes must be between 0 and 100000; got {Nodes}.");
        }

        if (Currency.Length is < 1 or > 8 || !Currency.All(char.IsAsciiLetterUpper))
        {
            throw ProblemTypes.ValidationFailed.With($"The currency must be an upper-case code such as EUR or USD; got '{Naming.ResourceName.Printable(Currency)}'.");
        }

        return this;
    }

    private static void Require(string what, decimal amount)
    {
        if (amount < 0)
        {
            throw ProblemTypes.ValidationFailed.With($"The {what} cannot be negative; got {amount}.");
        }

        if (amount > 1_000_000_000m)
        {
            throw ProblemTypes.ValidationFailed.With($"The {what} of {amount} is above 1,000,000,000; check the unit.");
        }
    }
}

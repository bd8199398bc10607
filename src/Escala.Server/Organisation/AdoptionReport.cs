using Escala.Core.Adoption;
using Escala.Core.Departments;
using Escala.Core.Problems;
using Escala.Core.UseCases;

namespace Escala.Server.Organisation;

/// <summary>
/// The adoption view over the durable usage counters: what the API, the executive report and a dashboard page all
/// show. This node's tally is flushed first, so its own latest requests are in the answer.
/// </summary>
public sealed class AdoptionReport(IUsageStore usage, UsageTally tally, DepartmentDirectory departments, UseCaseCatalog useCases, TimeProvider time)
{
    /// <summary>The most weeks of history a report covers.</summary>
    public const int MaxWeeks = 104;

    /// <summary>The view over the last <paramref name="weeks"/> complete weeks.</summary>
    public async Task<AdoptionView> GetAsync(int weeks = 12, CancellationToken cancellationToken = default)
    {
        if (weeks is < 1 or > MaxWeeks)
        {
            throw ProblemTypes.ValidationFailed.With($"weeks must be between 1 and {MaxWeeks}; got {weeks}.");
        }

        await tally.FlushAsync(cancellationToken).ConfigureAwait(false);
        var today = UsageDay.Of(time.GetUtcNow());
        var from = AdoptionSummary.FromDay(today, weeks);
        var inputs = new AdoptionInputs(
            today,
            weeks,
            [.. (await departments.ListAsync(cancellationToken).ConfigureAwait(false)).Select(d => (d.Name, d.Headcount))],
            await useCases.ListAsync(cancellationToken).ConfigureAwait(false),
            await usage.WeekTotalsAsync(UsageDay.WeekOf(from), UsageDay.WeekOf(today), cancellationToken).ConfigureAwait(false),
            await usage.ActiveUsersByDepartmentAsync(today - 6, null, cancellationToken).ConfigureAwait(false),
            await usage.ActiveUsersByDepartmentAsync(today - 27, null, cancellationToken).ConfigureAwait(false),
            await usage.ActiveUsersAsync(from, cancellationToken).ConfigureAwait(false),
            await usage.WeeklyAsync(from, today, null, cancellationToken).ConfigureAwait(false));
        return AdoptionSummary.Build(inputs);
    }
}

using Escala.Core.Adoption;
using Escala.Core.Endpoints;
using Escala.Core.Naming;
using Escala.Core.Problems;
using Escala.Core.Satisfaction;

namespace Escala.Server.Organisation;

/// <summary>A rating as sent: 1-5 or thumbs up/down, optionally about one request, with a comment, user and department.</summary>
public sealed record SatisfactionRequest(int? Rating = null, string? Thumbs = null, string? RequestId = null, string? Comment = null, string? User = null, string? Department = null, string? Version = null);

/// <summary>Takes ratings (validated, the user pseudonymised) and summarises them; also the source of the <c>satisfaction</c> gate.</summary>
public sealed class SatisfactionService(ISatisfactionStore store, EndpointCatalog endpoints, UserPseudonyms pseudonyms, TimeProvider time)
{
    /// <summary>Stores a rating; throws validation-failed naming the field at fault.</summary>
    public async Task<SatisfactionRating> RateAsync(string endpoint, SatisfactionRequest body, string? department, string? headerUser, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        await endpoints.GetAsync(endpoint, cancellationToken).ConfigureAwait(false);
        int rating;
        if (body.Rating is { } r)
        {
            if (body.Thumbs is not null)
            {
                throw ProblemTypes.ValidationFailed.With("Send either rating (1-5) or thumbs (up/down), not both.");
            }

            rating = r is >= 1 and <= 5 ? r : throw new ProblemException(ProblemTypes.ValidationFailed, $"rating must be 1 to 5; got {r}.") { Field = "rating" };
        }
        else
        {
            rating = body.Thumbs switch
            {
                "up" => 5,
                "down" => 1,
                null => throw new ProblemException(ProblemTypes.ValidationFailed, "Send rating (1-5) or thumbs (up or down).") { Field = "rating" },
                _ => throw new ProblemException(ProblemTypes.ValidationFailed, $"thumbs must be up or down; got '{ResourceName.Printable(body.Thumbs)}'.") { Field = "thumbs" },
            };
        }

        var stored = new SatisfactionRating(
            endpoint,
            body.RequestId is null ? null : ResourceName.Require("request id", body.RequestId),
            rating,
            FreeText.Optional("comment", body.Comment, 1000, multiline: true),
            pseudonyms.Of(headerUser ?? body.User),
            department,
            body.Version is null ? null : FreeText.Required("version", body.Version, 200),
            time.GetUtcNow());
        await store.AddAsync(stored, cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>The endpoint's ratings since <paramref name="since"/>, optionally of some departments only.</summary>
    public async Task<SatisfactionView> GetAsync(string endpoint, DateTimeOffset since, IReadOnlyCollection<string>? departments = null, CancellationToken cancellationToken = default)
    {
        await endpoints.GetAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var cells = (await store.CellsAsync(endpoint, since, cancellationToken).ConfigureAwait(false))
            .Where(c => departments is null || (c.Department is not null && departments.Contains(c.Department, StringComparer.OrdinalIgnoreCase)))
            .ToArray();
        var count = cells.Sum(c => c.Ratings);
        var sum = cells.Sum(c => c.Sum);
        return new SatisfactionView(endpoint, since, count, count == 0 ? null : (double)sum / count,
            [.. cells.GroupBy(c => (c.Department, c.Target)).Select(g => new SatisfactionGroup(g.Key.Department, g.Key.Target, g.Sum(c => c.Ratings), (double)g.Sum(c => c.Sum) / g.Sum(c => c.Ratings)))],
            [.. cells.GroupBy(c => c.Week).OrderBy(g => g.Key).Select(g => new SatisfactionWeek(UsageDay.Date(UsageDay.WeekStart(g.Key)), g.Sum(c => c.Ratings), (double)g.Sum(c => c.Sum) / g.Sum(c => c.Ratings)))]);
    }
}

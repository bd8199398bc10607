using System.Collections.Concurrent;
using Escala.Core.Access;
using Escala.Core.Monitoring.Accuracy;
using Escala.Core.Monitoring.Settings;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Server.Monitoring.Live;

namespace Escala.Server.Monitoring.GroundTruth;

/// <summary>One refused label and why.</summary>
/// <param name="Index">Its position in the request.</param>
/// <param name="RequestId">Its request id.</param>
/// <param name="Reason">Why it was refused.</param>
public sealed record RefusedLabel(int Index, string RequestId, string Reason);

/// <summary>What happened to a batch of labels.</summary>
/// <param name="Accepted">New labels stored.</param>
/// <param name="Updated">Labels that replaced an earlier one for the same request and row.</param>
/// <param name="Rejected">Labels refused.</param>
/// <param name="Errors">The first refusals with their reasons.</param>
public sealed record FeedbackResult(int Accepted, int Updated, int Rejected, IReadOnlyList<RefusedLabel> Errors);

/// <summary>
/// Takes ground-truth labels, any time after the predictions: each is joined by request id with the prediction log
/// (which version answered, for which department, what it predicted), checked against the endpoint's scoring
/// (binary, multiclass, regression) and stored; the batch is answered with how many were accepted, updated and
/// refused, and why. A key scoped to departments may label only its departments' requests.
/// </summary>
public sealed class FeedbackService(IPredictionLookup lookup, IFeedbackStore store, IModelStore models, MonitoringConfiguration configuration, TimeProvider time)
{
    /// <summary>The most labels one request may carry.</summary>
    public const int MaxLabels = 10_000;

    /// <summary>The most refusal reasons returned.</summary>
    public const int MaxErrors = 100;

    private readonly ConcurrentDictionary<string, AnswerShape> _shapes = new(StringComparer.Ordinal);

    /// <summary>Joins, checks and stores <paramref name="items"/> for <paramref name="endpoint"/>.</summary>
    public async Task<FeedbackResult> SubmitAsync(Principal caller, string endpoint, IReadOnlyList<FeedbackItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(items);
        await configuration.RequireEndpointAsync(endpoint, cancellationToken);
        if (items.Count is 0 or > MaxLabels)
        {
            throw ProblemTypes.ValidationFailed.With($"Send between 1 and {MaxLabels:N0} labels, as {{\"labels\": [{{\"requestId\": \"...\", \"label\": 1}}]}}.");
        }

        var setting = (await configuration.EffectiveAsync(endpoint, cancellationToken)).GroundTruth;
        var now = time.GetUtcNow();
        var rows = new Dictionary<(string, int), FeedbackRow>();
        var refusals = new SortedDictionary<int, string>();
        var missing = new List<int>();
        for (var i = 0; i < items.Count; i++)
        {
            var answer = Valid(items[i]) ? await lookup.FindAsync(endpoint, items[i].RequestId, cancellationToken) : null;
            if (answer is null && Valid(items[i]))
            {
                missing.Add(i);
                continue;
            }

            if (await JoinAsync(caller, endpoint, items[i], answer, setting, now, rows, cancellationToken) is { } reason)
            {
                refusals[i] = reason;
            }
        }

        if (missing.Count > 0)
        {
            // Labels often come right behind their answers, while the lines are still queued for the log: wait for the
            // writer once for the whole batch, then look again. Only what is still missing after that is unknown.
            var caughtUp = await lookup.CatchUpAsync(cancellationToken);
            var stillMissing = 0;
            foreach (var i in missing)
            {
                var answer = await lookup.FindAsync(endpoint, items[i].RequestId, cancellationToken);
                stillMissing += answer is null ? 1 : 0;
                if (await JoinAsync(caller, endpoint, items[i], answer, setting, now, rows, cancellationToken) is { } reason)
                {
                    refusals[i] = reason;
                }
            }

            if (!caughtUp && stillMissing > 0)
            {
                throw new ProblemException(ProblemTypes.TryAgainLater,
                    $"Nothing was stored: {stillMissing} of the {items.Count} labels are for requests the prediction log of '{endpoint}' does not hold yet, " +
                    "and the log is behind (its writer did not catch up in time). Retry the same batch after the Retry-After delay; labels already stored are replaced by identical ones.")
                { RetryAfter = TimeSpan.FromSeconds(2) };
            }
        }

        var errors = new List<RefusedLabel>();
        foreach (var (i, reason) in refusals)
        {
            if (errors.Count < MaxErrors)
            {
                errors.Add(new RefusedLabel(i, items[i]?.RequestId ?? "", reason));
            }
        }

        var rejected = refusals.Count;

        var (inserted, updated) = await store.UpsertAsync([.. rows.Values], cancellationToken);
        return new FeedbackResult(inserted, updated, rejected, errors);
    }

    private static bool Valid([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] FeedbackItem? item) =>
        item is not null && !string.IsNullOrWhiteSpace(item.RequestId) && item.RequestId.Length <= 200;

    private async Task<string?> JoinAsync(
        Principal caller, string endpoint, FeedbackItem? item, LoggedAnswer? answer, GroundTruthSetting setting, DateTimeOffset now, Dictionary<(string, int), FeedbackRow> rows, CancellationToken cancellationToken)
    {
        if (!Valid(item))
        {
            return "requestId is missing or longer than 200 characters";
        }

        if (answer is null)
        {
            return $"unknown request id '{Core.Naming.ResourceName.Printable(item.RequestId)}': the prediction log of '{endpoint}' has no answer with it (never made, sampled out, or older than the log's retention)";
        }

        if (!caller.MayActFor(answer.Department))
        {
            return $"the request was made for {(answer.Department is null ? "no department" : $"the department '{answer.Department}'")}, outside your key's scope";
        }

        var shape = answer.Target is null ? new AnswerShape(null, null, null) : await ShapeAsync(answer.Target, cancellationToken);
        var row = FeedbackJoin.Interpret(endpoint, item, answer, shape, setting, now, out var refusal);
        if (row is null)
        {
            return refusal;
        }

        rows[(row.RequestId, row.Row)] = row;
        return null;
    }

    private async Task<AnswerShape> ShapeAsync(string target, CancellationToken cancellationToken)
    {
        if (_shapes.TryGetValue(target, out var known))
        {
            return known;
        }

        // Versions are immutable, so a version's shape never changes once read.
        var shape = MonitorDirectory.TryParseTarget(target, out var model, out var number)
            && await models.FindVersionAsync(model, number, cancellationToken) is { Signature: { } signature }
            ? FeedbackJoin.ShapeOf(signature)
            : new AnswerShape(null, null, null);
        _shapes[target] = shape;
        return shape;
    }
}

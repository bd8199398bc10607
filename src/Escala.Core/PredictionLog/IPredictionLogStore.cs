namespace Escala.Core.PredictionLog;

/// <summary>Where prediction log lines are kept. Written in batches, off the request path.</summary>
public interface IPredictionLogStore
{
    /// <summary>Appends a batch of lines in one transaction.</summary>
    Task AppendAsync(IReadOnlyList<PredictionRecord> batch, CancellationToken cancellationToken);

    /// <summary>Deletes lines older than <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);

    /// <summary>Lines of one endpoint, newest first, optionally one request.</summary>
    Task<IReadOnlyList<PredictionRecord>> QueryAsync(PredictionLogQuery query, CancellationToken cancellationToken);
}

/// <summary>A read of the prediction log.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="RequestId">Only the lines of this request (its answer and any shadow answers).</param>
/// <param name="Limit">At most this many lines, newest first.</param>
/// <param name="Departments">Only lines attributed to these departments (a department key reading an endpoint it does not own); null for all.</param>
public sealed record PredictionLogQuery(string Endpoint, string? RequestId = null, int Limit = 100, IReadOnlyList<string>? Departments = null);

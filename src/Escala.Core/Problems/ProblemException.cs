namespace Escala.Core.Problems;

/// <summary>
/// An expected failure on the control plane: bad input, a missing resource or a broken rule.
/// The server's exception handler turns it into problem details with <see cref="Type"/>; the detail
/// is meant for the caller and never contains internals.
/// </summary>
public sealed class ProblemException(ProblemType type, string detail, Exception? inner = null)
    : Exception(detail, inner)
{
    /// <summary>The stable kind of failure.</summary>
    public ProblemType Type { get; } = type;

    /// <summary>What went wrong and how to fix it, safe to show to the caller.</summary>
    public string Detail => Message;

    /// <summary>The input field at fault, when there is one (answered as the problem's <c>field</c> member).</summary>
    public string? Field { get; init; }

    /// <summary>For a retryable failure, how long the caller should wait before retrying (answered as <c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; init; }
}

using Escala.Core.Routing;

namespace Escala.Server.Serving;

/// <summary>What one call to one target produced: an answer, or why not. Expected failures are values.</summary>
public readonly record struct Attempt<T>(T? Answer, AttemptFailure Failure, string? Detail)
{
    /// <summary>True when the target answered.</summary>
    public bool Succeeded => Failure == AttemptFailure.None;

    /// <summary>An answer.</summary>
    public static Attempt<T> Answered(T answer) => new(answer, AttemptFailure.None, null);

    /// <summary>No answer, and why.</summary>
    public static Attempt<T> Failed(AttemptFailure failure, string detail) => new(default, failure, detail);
}

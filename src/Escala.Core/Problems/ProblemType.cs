namespace Escala.Core.Problems;

/// <summary>
/// A stable kind of failure: the RFC 7807 <c>type</c> a client can branch on, the HTTP status it travels
/// with and a short title. The slug never changes once published; the detail text may.
/// </summary>
public sealed record ProblemType(string Slug, int Status, string Title)
{
    /// <summary>The base of every problem type URI.</summary>
    public const string BaseUri = "https://escala.dev/problems/";

    /// <summary>The RFC 7807 <c>type</c> value, e.g. <c>https://escala.dev/problems/not-found</c>.</summary>
    public string Uri => BaseUri + Slug;

    /// <summary>An exception carrying this problem and a detail that says what to fix.</summary>
    public ProblemException With(string detail, Exception? inner = null) => new(this, detail, inner);
}

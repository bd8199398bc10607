using System.Text.Json;

namespace Escala.Core.Audit;

/// <summary>
/// One kind of security-relevant state (keys and roles, version stages, endpoint routes) that the audit log records
/// after every change, so the stored state can be reconciled with the last audited one: a row edited directly in the
/// database no longer matches. Facts are a canonical text of what matters (e.g. <c>role=viewer departments=[]</c>).
/// </summary>
public interface ISecurityState
{
    /// <summary>What the state is called in findings (e.g. "API key").</summary>
    string Kind { get; }

    /// <summary>The audit subjects of this kind start with this (e.g. <c>key/</c>).</summary>
    string SubjectPrefix { get; }

    /// <summary>The actions whose after-state records it (names or patterns such as <c>endpoint.*</c>).</summary>
    IReadOnlyList<string> Actions { get; }

    /// <summary>Every stored item: its audit subject and its facts now.</summary>
    Task<IReadOnlyList<(string Subject, string Facts)>> StoredAsync(CancellationToken cancellationToken = default);

    /// <summary>The facts an audited after-state records, or null when it does not record them.</summary>
    string? FactsOf(JsonElement after);
}

/// <summary>Compares stored facts with audited ones.</summary>
public static class SecurityStateCheck
{
    /// <summary>
    /// One finding per stored item whose facts differ from its last audited after-state, or that the audit log never
    /// recorded. <paramref name="audited"/> maps subjects to their newest recording record.
    /// </summary>
    public static IReadOnlyList<string> Compare(ISecurityState kind, IReadOnlyList<(string Subject, string Facts)> stored, IReadOnlyDictionary<string, AuditRecord> audited)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(audited);
        var findings = new List<string>();
        foreach (var (subject, facts) in stored)
        {
            if (!audited.TryGetValue(subject, out var record))
            {
                findings.Add($"{kind.Kind} {subject} is stored ({facts}) but the audit log never recorded it");
                continue;
            }

            using var after = JsonDocument.Parse(record.After!);
            if (kind.FactsOf(after.RootElement) is { } recorded && !string.Equals(recorded, facts, StringComparison.Ordinal))
            {
                findings.Add($"{kind.Kind} {subject} is stored as {facts} but the audit log last recorded {recorded} (record {record.Sequence}, {record.Action})");
            }
        }

        return findings;
    }
}

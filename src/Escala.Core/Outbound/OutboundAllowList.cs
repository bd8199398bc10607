using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Naming;
using Escala.Core.Problems;

namespace Escala.Core.Outbound;

/// <summary>
/// The hosts the server may call on an operator's behalf. Without it an operator could point an external backend
/// or a webhook at any address the server reaches (cloud metadata, internal admin ports): server-side request
/// forgery. Only organisation-wide admins change the list (audited); hosts named in the server's configuration
/// are allowed too (a deployment's fixed backends). A URL is also refused when it carries credentials in its
/// user info or query: those belong in secret headers, which are never shown or audited.
/// </summary>
public sealed class OutboundAllowList(IOutboundHostStore store, TimeProvider time, IReadOnlyCollection<string> configured)
{
    /// <summary>The purposes a host may be listed for.</summary>
    public static readonly IReadOnlyList<string> Purposes = ["backend", "webhook", "any"];

    private readonly HashSet<string> _configured = configured.Select(h => h.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every listed host.</summary>
    public Task<IReadOnlyList<OutboundHost>> ListAsync(CancellationToken cancellationToken = default) => store.ListAsync(cancellationToken);

    /// <summary>Lists <paramref name="host"/> for <paramref name="purpose"/> (default <c>any</c>).</summary>
    public async Task<OutboundHost> AddAsync(Principal caller, string host, string? purpose, CancellationToken cancellationToken = default)
    {
        RequireOrganisationAdmin(caller);
        var name = Normalise(host);
        var use = purpose?.Trim().ToLowerInvariant() ?? "any";
        if (!Purposes.Contains(use))
        {
            throw ProblemTypes.ValidationFailed.With($"The purpose '{ResourceName.Printable(purpose)}' is not one of {string.Join(", ", Purposes)}.");
        }

        var now = time.GetUtcNow();
        var entry = new OutboundHost(name, use, now, caller.AuditName);
        var audit = AuditEntry.Create<OutboundHost>(now, caller, "outbound-host.add", AuditSubjects.OutboundHost(name), null, entry);
        if (!await store.TryAddAsync(entry, audit, cancellationToken))
        {
            throw ProblemTypes.AlreadyExists.With($"The host '{name}' is already on the allow list.");
        }

        return entry;
    }

    /// <summary>Takes <paramref name="host"/> off the list; backends already deployed keep their connection until the endpoint changes.</summary>
    public async Task RemoveAsync(Principal caller, string host, CancellationToken cancellationToken = default)
    {
        RequireOrganisationAdmin(caller);
        var name = Normalise(host);
        var before = await store.FindAsync(name, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"The host '{name}' is not on the allow list.");
        var audit = AuditEntry.Create<OutboundHost>(time.GetUtcNow(), caller, "outbound-host.remove", AuditSubjects.OutboundHost(name), before, null);
        if (!await store.TryRemoveAsync(name, audit, cancellationToken))
        {
            throw ProblemTypes.NotFound.With($"The host '{name}' is not on the allow list.");
        }
    }

    /// <summary>
    /// Throws unless <paramref name="url"/> is an http(s) URL without credentials whose host is listed for
    /// <paramref name="purpose"/> (<c>backend</c> or <c>webhook</c>) or configured.
    /// </summary>
    public async Task RequireAllowedAsync(Uri url, string purpose, string what, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw ProblemTypes.ValidationFailed.With($"The {what} must be an absolute http:// or https:// address.");
        }

        if (url.UserInfo.Length > 0 || url.Query.Length > 1)
        {
            throw ProblemTypes.ValidationFailed.With(
                $"The {what} carries credentials or parameters in its {(url.UserInfo.Length > 0 ? "user info" : "query")}; URLs are shown to viewers and audited, "
                + "so send credentials as secret headers instead (they are write-only and never shown).");
        }

        var host = url.IdnHost.ToLowerInvariant();
        if (_configured.Contains(host))
        {
            return;
        }

        var listed = await store.FindAsync(host, cancellationToken);
        if (listed is null || (listed.Purpose != "any" && listed.Purpose != purpose))
        {
            throw ProblemTypes.HostNotAllowed.With(
                $"The host '{ResourceName.Printable(host)}' of the {what} is not on the outbound allow list for {purpose}s; an organisation-wide admin can add it "
                + $"(`POST /api/v1/outbound-hosts {{\"host\": \"{ResourceName.Printable(host)}\", \"purpose\": \"{purpose}\"}}`).");
        }
    }

    private static string Normalise(string? host)
    {
        var name = host?.Trim().ToLowerInvariant() ?? "";
        if (name.Length is 0 or > 253 || Uri.CheckHostName(name) == UriHostNameType.Unknown || name.Contains('/', StringComparison.Ordinal))
        {
            throw ProblemTypes.ValidationFailed.With($"'{ResourceName.Printable(host)}' is not a host name or address (e.g. triton.internal or 10.0.4.7).");
        }

        return name;
    }

    private static void RequireOrganisationAdmin(Principal caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.HasRole(Role.Admin) || !caller.IsOrganisationWide)
        {
            throw ProblemTypes.InsufficientRole.With("The outbound allow list is changed by organisation-wide admins only.");
        }
    }
}

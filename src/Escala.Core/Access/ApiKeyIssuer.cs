using System.Collections.Immutable;
using Escala.Core.Audit;
using Escala.Core.Departments;
using Escala.Core.Naming;
using Escala.Core.Problems;

namespace Escala.Core.Access;

/// <summary>A key just created: the stored record and the plaintext, which is shown this once and never again.</summary>
public sealed record IssuedKey(ApiKey Key, string Plaintext);

/// <summary>
/// The rules for creating and revoking API keys: a caller cannot hand out more than it holds (a
/// higher role, or departments outside its own scope), and the last organisation-wide admin key
/// cannot be revoked, so the organisation never locks itself out.
/// </summary>
public sealed class ApiKeyIssuer(IApiKeyStore keys, IDepartmentStore departments, TimeProvider time)
{
    /// <summary>The name of the key the server creates on first start.</summary>
    public const string BootstrapKeyName = "bootstrap-admin";

    /// <summary>Every key (without secrets).</summary>
    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default) => keys.ListAsync(cancellationToken);

    /// <summary>Creates a key for <paramref name="name"/> with <paramref name="role"/>, scoped to <paramref name="scope"/> (empty: organisation-wide).</summary>
    public async Task<IssuedKey> CreateAsync(Principal caller, string name, Role role, IReadOnlyCollection<string> scope, CancellationToken cancellationToken = default)
    {
        ResourceName.Require("key", name);
        if (!Enum.IsDefined(role))
        {
            throw ProblemTypes.ValidationFailed.With("The role is not one of viewer, scientist, approver, operator, admin.");
        }

        if (role > caller.Role)
        {
            throw ProblemTypes.InsufficientRole.With($"A {caller.Role.ToName()} key cannot create a {role.ToName()} key.");
        }

        var distinct = scope.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
        foreach (var department in distinct)
        {
            ResourceName.Require("department", department);
            if (await departments.FindAsync(department, cancellationToken) is null)
            {
                throw ProblemTypes.ValidationFailed.With($"There is no department '{department}'; create it first with `escala departments create {department}`.");
            }

            if (!caller.MayActFor(department))
            {
                throw ProblemTypes.DepartmentScope.With($"Your key is not scoped to '{department}', so it cannot create keys for it.");
            }
        }

        if (distinct.IsEmpty && !caller.IsOrganisationWide)
        {
            throw ProblemTypes.DepartmentScope.With("Your key is scoped to departments, so the new key must be too; pass --department.");
        }

        var issued = Issue(name, role, distinct, caller);
        var audit = AuditEntry.Create<ApiKeyView>(issued.Key.CreatedAt, caller, "key.create", AuditSubjects.Key(issued.Key.Id), null, issued.Key.ToView());
        await keys.AddAsync(issued.Key, audit, cancellationToken);
        return issued;
    }

    /// <summary>Creates the organisation-wide admin key when the store has no key at all; null when keys exist.</summary>
    public async Task<IssuedKey?> BootstrapAsync(CancellationToken cancellationToken = default)
    {
        var issued = Issue(BootstrapKeyName, Role.Admin, [], Principal.System);
        var audit = AuditEntry.Create<ApiKeyView>(issued.Key.CreatedAt, Principal.System, "key.create", AuditSubjects.Key(issued.Key.Id), null, issued.Key.ToView());
        return await keys.TryAddFirstAsync(issued.Key, audit, cancellationToken) ? issued : null;
    }

    /// <summary>Revokes a key; the caller must hold every department the key is scoped to.</summary>
    public async Task<ApiKey> RevokeAsync(Principal caller, string id, CancellationToken cancellationToken = default)
    {
        var key = await keys.FindAsync(id, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no API key with id '{ResourceName.Printable(id)}'; `escala keys list` shows them.");
        if (key.IsRevoked)
        {
            throw ProblemTypes.Conflict.With($"The key '{key.Name}' ({id}) is already revoked.");
        }

        var inScope = caller.IsOrganisationWide || (!key.Departments.IsDefaultOrEmpty && key.Departments.All(caller.MayActFor));
        if (!inScope)
        {
            throw ProblemTypes.DepartmentScope.With($"The key '{key.Name}' reaches departments your key is not scoped to.");
        }

        if (key.Role == Role.Admin && key.Departments.IsDefaultOrEmpty)
        {
            var all = await keys.ListAsync(cancellationToken);
            var otherAdmins = all.Count(k => !k.IsRevoked && k.Id != id && k.Role == Role.Admin && k.Departments.IsDefaultOrEmpty);
            if (otherAdmins == 0)
            {
                throw ProblemTypes.Conflict.With("This is the last organisation-wide admin key; create another admin key before revoking it.");
            }
        }

        var now = time.GetUtcNow();
        var revoked = key with { RevokedAt = now };
        var audit = AuditEntry.Create(now, caller, "key.revoke", AuditSubjects.Key(id), key.ToView(), revoked.ToView());
        if (!await keys.RevokeAsync(id, now, audit, cancellationToken))
        {
            throw ProblemTypes.Conflict.With($"The key '{key.Name}' ({id}) was revoked concurrently.");
        }

        return revoked;
    }

    private IssuedKey Issue(string name, Role role, ImmutableArray<string> scope, Principal creator)
    {
        var (id, plaintext, hash) = ApiKeySecret.Generate();
        var key = new ApiKey(id, name, role, scope, hash, time.GetUtcNow(), creator.AuditName, null);
        return new IssuedKey(key, plaintext);
    }
}

using System.Collections.Frozen;
using Escala.Core.Departments;

namespace Escala.Server.Security;

/// <summary>
/// The names of the departments that exist, held in memory so a request naming one in <c>X-Escala-Department</c> is
/// checked without a database call. Swapped whole by <see cref="ReloadAsync"/> at start and after a department is
/// created (departments are never deleted); a name this node has not seen yet is looked up once in the store, so a
/// department created on another node is known at its first use.
/// </summary>
public sealed class KnownDepartments(IDepartmentStore store)
{
    private volatile FrozenSet<string> _names = FrozenSet<string>.Empty;

    /// <summary>Reads the departments from the store and swaps them in.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        var all = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        _names = all.Select(d => d.Name).ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>True when <paramref name="name"/> is a department (from memory; the store only for a name not seen yet).</summary>
    public bool Exists(string name)
    {
        if (_names.Contains(name))
        {
            return true;
        }

        if (!Core.Naming.ResourceName.IsValid(name))
        {
            return false;
        }

        // Rare (a department created on another node): one synchronous read, then it is in memory.
        if (store.FindAsync(name).GetAwaiter().GetResult() is null)
        {
            return false;
        }

        ReloadAsync().GetAwaiter().GetResult();
        return true;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Escala.Server.Serving;

/// <summary>
/// The snapshot each endpoint serves from now. Readers get it with one dictionary lookup and one
/// volatile read; a change publishes a whole new snapshot with one volatile write. Requests that
/// already hold the previous snapshot finish on it.
/// </summary>
public sealed class LiveEndpoints
{
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    /// <summary>The endpoints being served.</summary>
    public IEnumerable<ServingSnapshot> All => _slots.Values.Select(s => s.Current);

    /// <summary>The current snapshot of <paramref name="name"/>.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out ServingSnapshot? snapshot)
    {
        if (_slots.TryGetValue(name, out var slot))
        {
            snapshot = slot.Current;
            return true;
        }

        snapshot = null;
        return false;
    }

    /// <summary>Makes <paramref name="snapshot"/> the one new requests use, unless a newer generation is already live.</summary>
    public void Publish(ServingSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var slot = _slots.GetOrAdd(snapshot.Name, _ => new Slot(snapshot));
        slot.Swap(snapshot);
    }

    private sealed class Slot(ServingSnapshot initial)
    {
        private ServingSnapshot _current = initial;

        public ServingSnapshot Current => Volatile.Read(ref _current);

        public void Swap(ServingSnapshot next)
        {
            // A compare-and-swap loop, so a slow publisher of an older generation never overwrites a newer one.
            while (true)
            {
                var seen = Volatile.Read(ref _current);
                if (seen.Endpoint.Generation > next.Endpoint.Generation)
                {
                    return;
                }

                if (Interlocked.CompareExchange(ref _current, next, seen) == seen)
                {
                    return;
                }
            }
        }
    }
}

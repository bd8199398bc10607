namespace Escala.Core.Routing;

/// <summary>
/// A hash that gives the same value on every gateway node, process and .NET version:
/// FNV-1a 64 over the UTF-16 code units (little-endian byte order), finished with the
/// MurmurHash3 fmix64 avalanche so that every output bit depends on every input bit.
/// </summary>
/// <remarks>
/// <c>string.GetHashCode()</c> is randomised per process, so it would send one user to
/// variant A on one node and to B on the next. FNV-1a alone mixes its high bits poorly for
/// short keys that differ in their last character ("user-1", "user-2"); fmix64 fixes that,
/// and the router uses the high 32 bits.
/// </remarks>
public static class StableHash
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>The 64-bit hash of <paramref name="salt"/>, a separator, then <paramref name="key"/>.</summary>
    public static ulong Hash64(ReadOnlySpan<char> salt, ReadOnlySpan<char> key)
    {
        var h = FnvOffset;
        h = Mix(h, salt);
        // A separator that cannot occur in either part keeps ("ab","c") and ("a","bc") apart.
        h = (h ^ 0xFFFF) * FnvPrime;
        h = Mix(h, key);
        return Finish(h);
    }

    /// <summary>A uniform 32-bit bucket for <paramref name="key"/> under <paramref name="salt"/>.</summary>
    public static uint Bucket(ReadOnlySpan<char> salt, ReadOnlySpan<char> key) => (uint)(Hash64(salt, key) >> 32);

    private static ulong Mix(ulong h, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            h = (h ^ (byte)c) * FnvPrime;
            h = (h ^ (byte)(c >> 8)) * FnvPrime;
        }

        return h;
    }

    private static ulong Finish(ulong h)
    {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }
}

using System.Collections.Frozen;
using System.Globalization;

namespace Escala.Core.Monitoring.Baselines;

/// <summary>
/// Finds the slot of a categorical value without allocating: strings by ordinal lookup, numbers by their
/// invariant round-trip text ("3" for 3.0) formatted on the stack, so integer-coded categories match.
/// </summary>
public sealed class CategoryLookup
{
    private readonly FrozenDictionary<string, int> _slots;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    /// <summary>Builds the lookup of <paramref name="summary"/>'s kept categories.</summary>
    public CategoryLookup(CategoricalSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var slots = new Dictionary<string, int>(summary.Categories.Length, StringComparer.Ordinal);
        for (var i = 0; i < summary.Categories.Length; i++)
        {
            slots[summary.Categories[i]] = i;
        }

        _slots = slots.ToFrozenDictionary(StringComparer.Ordinal);
        _bySpan = _slots.GetAlternateLookup<ReadOnlySpan<char>>();
        OtherSlot = summary.Categories.Length;
    }

    /// <summary>The slot counting values that are not among the kept categories.</summary>
    public int OtherSlot { get; }

    /// <summary>The category slot of a present value, or -1 when it is not a kept category.</summary>
    public int SlotOf(in FeatureValue value)
    {
        switch (value.Kind)
        {
            case FeatureValueKind.Text:
                return _slots.TryGetValue(value.Text!, out var slot) ? slot : -1;
            case FeatureValueKind.Number:
                Span<char> buffer = stackalloc char[32];
                if (value.Number.TryFormat(buffer, out var written, "R", CultureInfo.InvariantCulture)
                    && _bySpan.TryGetValue(buffer[..written], out var numberSlot))
                {
                    return numberSlot;
                }

                return -1;
            default:
                return -1;
        }
    }
}

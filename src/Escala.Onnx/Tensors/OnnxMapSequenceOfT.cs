namespace Escala.Onnx.Tensors;

/// <summary>
/// A sequence of maps that all share one set of keys: row <c>i</c> maps <c>Keys[j]</c> to <c>Values[i * Keys.Length + j]</c>.
/// This is the shape of every ZipMap output, stored flat so no dictionary is built unless asked for.
/// </summary>
public sealed class OnnxMapSequence<TKey> : OnnxMapSequence
    where TKey : notnull
{
    private static readonly ElementType Key = ElementTypes.Of<TKey>();
    private readonly TKey[] _keys;
    private readonly float[] _values;

    /// <summary>Maps over <paramref name="keys"/> with <paramref name="values"/> row-major (rows x keys); nothing is copied.</summary>
    public OnnxMapSequence(TKey[] keys, float[] values)
    {
        if (Key is not (ElementType.String or ElementType.Int64))
        {
            throw new NotSupportedException($"Map keys must be string or long, not {typeof(TKey).Name}.");
        }

        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        if (keys.Length == 0 ? values.Length != 0 : values.Length % keys.Length != 0)
        {
            throw new ArgumentException($"{values.Length} values do not make whole rows of {keys.Length} keys.", nameof(values));
        }

        _keys = keys;
        _values = values;
        Count = keys.Length == 0 ? 0 : values.Length / keys.Length;
    }

    /// <inheritdoc />
    public override ElementType KeyType => Key;

    /// <inheritdoc />
    public override int Count { get; }

    /// <summary>The keys every map has, in order.</summary>
    public ReadOnlySpan<TKey> Keys => _keys;

    /// <summary>The values of map <paramref name="index"/>, one per key.</summary>
    public ReadOnlySpan<float> Row(int index) => _values.AsSpan(index * _keys.Length, _keys.Length);

    /// <summary>Map <paramref name="index"/> as a dictionary (allocates).</summary>
    public IReadOnlyDictionary<TKey, float> this[int index]
    {
        get
        {
            var row = Row(index);
            var map = new Dictionary<TKey, float>(_keys.Length);
            for (var j = 0; j < _keys.Length; j++)
            {
                map[_keys[j]] = row[j];
            }

            return map;
        }
    }
}

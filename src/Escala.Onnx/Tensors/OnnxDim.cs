namespace Escala.Onnx.Tensors;

/// <summary>One dimension of a declared shape: a fixed size, a symbolic name (e.g. <c>N</c>), or unknown.</summary>
public readonly record struct OnnxDim
{
    /// <summary>A fixed size.</summary>
    public OnnxDim(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        Value = value;
    }

    /// <summary>A symbolic (dynamic) dimension; null or empty means unknown.</summary>
    public OnnxDim(string? symbol) => Symbol = string.IsNullOrEmpty(symbol) ? null : symbol;

    /// <summary>The fixed size, or null when the dimension is dynamic.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name of a dynamic dimension, or null.</summary>
    public string? Symbol { get; }

    /// <summary>Whether the size is fixed.</summary>
    public bool IsFixed => Value is not null;

    /// <summary>An unknown dimension (neither a size nor a name).</summary>
    public static OnnxDim Unknown => default;

    /// <summary>A fixed size.</summary>
    public static implicit operator OnnxDim(long value) => new(value);

    /// <summary>A symbolic dimension.</summary>
    public static implicit operator OnnxDim(string? symbol) => new(symbol);

    /// <summary>The size, the name, or <c>?</c>.</summary>
    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Symbol ?? "?";
}

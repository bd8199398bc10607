namespace Escala.Onnx.Tensors;

/// <summary>The declared or inferred type of a value: tensor (element type and dims), sequence or map.</summary>
public sealed class OnnxTypeInfo : IEquatable<OnnxTypeInfo>
{
    private OnnxTypeInfo(OnnxTypeKind kind, ElementType elementType, IReadOnlyList<OnnxDim>? shape, OnnxTypeInfo? inner)
    {
        Kind = kind;
        ElementType = elementType;
        Shape = shape;
        Inner = inner;
    }

    /// <summary>What kind of value this is.</summary>
    public OnnxTypeKind Kind { get; }

    /// <summary>The element type of a tensor, or the key type of a map.</summary>
    public ElementType ElementType { get; }

    /// <summary>The dims of a tensor; null when the rank is unknown.</summary>
    public IReadOnlyList<OnnxDim>? Shape { get; }

    /// <summary>The element type of a sequence or optional, or the value type of a map.</summary>
    public OnnxTypeInfo? Inner { get; }

    /// <summary>A type nobody declared.</summary>
    public static OnnxTypeInfo Unknown { get; } = new(OnnxTypeKind.Unknown, ElementType.Undefined, null, null);

    /// <summary>A tensor type; <paramref name="shape"/> null means rank unknown.</summary>
    public static OnnxTypeInfo Tensor(ElementType elementType, IReadOnlyList<OnnxDim>? shape = null) =>
        new(OnnxTypeKind.Tensor, elementType, shape, null);

    /// <summary>A sequence type.</summary>
    public static OnnxTypeInfo Sequence(OnnxTypeInfo element) => new(OnnxTypeKind.Sequence, ElementType.Undefined, null, element);

    /// <summary>A map type.</summary>
    public static OnnxTypeInfo Map(ElementType keyType, OnnxTypeInfo valueType) => new(OnnxTypeKind.Map, keyType, null, valueType);

    /// <summary>An optional type.</summary>
    public static OnnxTypeInfo Optional(OnnxTypeInfo element) => new(OnnxTypeKind.Optional, ElementType.Undefined, null, element);

    /// <summary>A sparse tensor type.</summary>
    public static OnnxTypeInfo SparseTensor(ElementType elementType, IReadOnlyList<OnnxDim>? shape = null) =>
        new(OnnxTypeKind.SparseTensor, elementType, shape, null);

    /// <summary>The sequence&lt;map&lt;key, float&gt;&gt; type ZipMap produces.</summary>
    public static OnnxTypeInfo SequenceOfMaps(ElementType keyType) => Sequence(Map(keyType, Tensor(ElementType.Float)));

    /// <summary>Whether this is a tensor of the given element type.</summary>
    public bool IsTensorOf(ElementType type) => Kind == OnnxTypeKind.Tensor && ElementType == type;

    /// <summary>The same type without dims (used when only the element type is known).</summary>
    public OnnxTypeInfo WithShape(IReadOnlyList<OnnxDim>? shape) => new(Kind, ElementType, shape, Inner);

    /// <summary>The ONNX spelling, e.g. <c>tensor(float)[N,4]</c> or <c>seq(map(int64,tensor(float)))</c>.</summary>
    public override string ToString() => Kind switch
    {
        OnnxTypeKind.Tensor => $"tensor({ElementTypes.Name(ElementType)})" + (Shape is null ? string.Empty : $"[{string.Join(',', Shape)}]"),
        OnnxTypeKind.SparseTensor => $"sparse_tensor({ElementTypes.Name(ElementType)})",
        OnnxTypeKind.Sequence => $"seq({Inner})",
        OnnxTypeKind.Map => $"map({ElementTypes.Name(ElementType)},{Inner})",
        OnnxTypeKind.Optional => $"optional({Inner})",
        _ => "unknown",
    };

    /// <summary>Structural equality: kind, element type, dims and inner type.</summary>
    public bool Equals(OnnxTypeInfo? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (Kind != other.Kind || ElementType != other.ElementType || !Equals(Inner, other.Inner))
        {
            return false;
        }

        if (Shape is null || other.Shape is null)
        {
            return Shape is null && other.Shape is null;
        }

        return Shape.SequenceEqual(other.Shape);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as OnnxTypeInfo);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, ElementType, Shape?.Count ?? -1, Inner);
}

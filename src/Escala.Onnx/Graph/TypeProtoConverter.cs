using Escala.Onnx.Protobuf;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Graph;

/// <summary>Converts between the stored <see cref="TypeProto"/> and the engine's <see cref="OnnxTypeInfo"/>.</summary>
public static class TypeProtoConverter
{
    /// <summary>The type a TypeProto declares; <see cref="OnnxTypeInfo.Unknown"/> when none is set.</summary>
    public static OnnxTypeInfo ToTypeInfo(TypeProto? proto)
    {
        if (proto is null)
        {
            return OnnxTypeInfo.Unknown;
        }

        if (proto.TensorType is { } t)
        {
            return OnnxTypeInfo.Tensor((ElementType)t.ElemType, Dims(t.Shape));
        }

        if (proto.SequenceElementType is { } s)
        {
            return OnnxTypeInfo.Sequence(ToTypeInfo(s));
        }

        if (proto.MapKeyType is { } key)
        {
            return OnnxTypeInfo.Map((ElementType)key, ToTypeInfo(proto.MapValueType));
        }

        if (proto.OptionalElementType is { } o)
        {
            return OnnxTypeInfo.Optional(ToTypeInfo(o));
        }

        if (proto.SparseTensorType is { } sp)
        {
            return OnnxTypeInfo.SparseTensor((ElementType)sp.ElemType, Dims(sp.Shape));
        }

        return OnnxTypeInfo.Unknown;
    }

    /// <summary>The TypeProto that declares <paramref name="type"/>.</summary>
    public static TypeProto ToProto(OnnxTypeInfo type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Kind switch
        {
            OnnxTypeKind.Tensor => new TypeProto { TensorType = TensorType(type) },
            OnnxTypeKind.SparseTensor => new TypeProto { SparseTensorType = TensorType(type) },
            OnnxTypeKind.Sequence => new TypeProto { SequenceElementType = ToProto(type.Inner!) },
            OnnxTypeKind.Map => new TypeProto { MapKeyType = (int)type.ElementType, MapValueType = ToProto(type.Inner!) },
            OnnxTypeKind.Optional => new TypeProto { OptionalElementType = ToProto(type.Inner!) },
            _ => new TypeProto(),
        };
    }

    private static TensorTypeProto TensorType(OnnxTypeInfo type)
    {
        var proto = new TensorTypeProto { ElemType = (int)type.ElementType };
        if (type.Shape is { } shape)
        {
            proto.Shape = new TensorShapeProto();
            foreach (var d in shape)
            {
                proto.Shape.Dim.Add(new TensorShapeProto.Dimension { DimValue = d.Value, DimParam = d.Symbol });
            }
        }

        return proto;
    }

    private static OnnxDim[]? Dims(TensorShapeProto? shape)
    {
        if (shape is null)
        {
            return null;
        }

        var dims = new OnnxDim[shape.Dim.Count];
        for (var i = 0; i < dims.Length; i++)
        {
            var d = shape.Dim[i];
            dims[i] = d.DimValue is { } v && v >= 0 ? new OnnxDim(v) : new OnnxDim(d.DimParam);
        }

        return dims;
    }
}

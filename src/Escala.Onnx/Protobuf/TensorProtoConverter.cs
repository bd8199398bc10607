using System.Runtime.InteropServices;
using System.Text;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Protobuf;

/// <summary>Converts between <see cref="TensorProto"/> (as stored) and <see cref="OnnxTensor"/> (as computed).</summary>
public static class TensorProtoConverter
{
    /// <summary>
    /// The tensor a TensorProto holds. Throws <see cref="OnnxModelException"/> for external data, unsupported
    /// element types, negative or overflowing dims, and a value count that does not match the dims.
    /// </summary>
    public static OnnxTensor ToTensor(TensorProto proto)
    {
        ArgumentNullException.ThrowIfNull(proto);
        var label = string.IsNullOrEmpty(proto.Name) ? "a tensor" : $"tensor '{proto.Name}'";
        if (proto.DataLocation == TensorProto.DataLocationExternal || proto.ExternalData.Count > 0)
        {
            var location = proto.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value ?? "an external file";
            throw new OnnxModelException(
                $"{label} keeps its data in external file '{location}', which the engine refuses (no file access from a model): save the model with its weights embedded.");
        }

        if (proto.HasSegment)
        {
            throw new OnnxModelException($"{label} is split into segments, which the engine does not support.");
        }

        var type = (ElementType)proto.DataType;
        if (!ElementTypes.IsSupported(type))
        {
            throw new OnnxModelException($"{label} has element type {ElementTypes.Name(type)}, which the engine does not support.");
        }

        var shape = new int[proto.Dims.Count];
        for (var i = 0; i < shape.Length; i++)
        {
            var d = proto.Dims[i];
            if (d < 0 || d > TensorShape.MaxElements)
            {
                throw new OnnxModelException($"{label} has an invalid dimension {d}.");
            }

            shape[i] = (int)d;
        }

        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
            if (count > TensorShape.MaxElements)
            {
                throw new OnnxModelException($"{label} declares dims [{string.Join(',', proto.Dims)}], more elements than an array can hold.");
            }
        }

        return type switch
        {
            ElementType.Float => Numeric(proto, shape, (int)count, label, proto.FloatData, static (float v) => v),
            ElementType.Double => Numeric(proto, shape, (int)count, label, proto.DoubleData, static (double v) => v),
            ElementType.Int64 => Numeric(proto, shape, (int)count, label, proto.Int64Data, static (long v) => v),
            ElementType.Int32 => Numeric(proto, shape, (int)count, label, proto.Int32Data, static (int v) => v),
            ElementType.Int16 => Numeric(proto, shape, (int)count, label, proto.Int32Data, static (int v) => (short)v),
            ElementType.Int8 => Numeric(proto, shape, (int)count, label, proto.Int32Data, static (int v) => (sbyte)v),
            ElementType.UInt8 => Numeric(proto, shape, (int)count, label, proto.Int32Data, static (int v) => (byte)v),
            ElementType.UInt16 => Numeric(proto, shape, (int)count, label, proto.Int32Data, static (int v) => (ushort)v),
            ElementType.UInt32 => Numeric(proto, shape, (int)count, label, proto.UInt64Data, static (ulong v) => (uint)v),
            ElementType.UInt64 => Numeric(proto, shape, (int)count, label, proto.UInt64Data, static (ulong v) => v),
            ElementType.Float16 => Numeric(proto, shape, (int)count, label, proto.Int32Data, static (int v) => BitConverter.UInt16BitsToHalf((ushort)v)),
            ElementType.Bool => Bools(proto, shape, (int)count, label),
            ElementType.String => Strings(proto, shape, (int)count, label),
            _ => throw new OnnxModelException($"{label} has element type {ElementTypes.Name(type)}, which the engine does not support."),
        };
    }

    /// <summary>A TensorProto holding <paramref name="tensor"/>: raw_data (little-endian) for numbers and bools, string_data for strings.</summary>
    public static TensorProto FromTensor(OnnxTensor tensor, string name = "")
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var proto = new TensorProto { Name = name, DataType = (int)tensor.ElementType };
        foreach (var d in tensor.Shape)
        {
            proto.Dims.Add(d);
        }

        switch (tensor)
        {
            case OnnxTensor<string> s:
                foreach (var v in s.Span)
                {
                    proto.StringData.Add(Encoding.UTF8.GetBytes(v ?? string.Empty));
                }

                break;
            case OnnxTensor<bool> b:
                proto.RawData = MemoryMarshal.AsBytes(b.Span).ToArray();
                break;
            case OnnxTensor<float> t: proto.RawData = Raw(t); break;
            case OnnxTensor<double> t: proto.RawData = Raw(t); break;
            case OnnxTensor<long> t: proto.RawData = Raw(t); break;
            case OnnxTensor<int> t: proto.RawData = Raw(t); break;
            case OnnxTensor<short> t: proto.RawData = Raw(t); break;
            case OnnxTensor<sbyte> t: proto.RawData = Raw(t); break;
            case OnnxTensor<byte> t: proto.RawData = Raw(t); break;
            case OnnxTensor<ushort> t: proto.RawData = Raw(t); break;
            case OnnxTensor<uint> t: proto.RawData = Raw(t); break;
            case OnnxTensor<ulong> t: proto.RawData = Raw(t); break;
            case OnnxTensor<Half> t: proto.RawData = Raw(t); break;
            default: throw new NotSupportedException($"Cannot store {tensor}.");
        }

        return proto;
    }

    private static byte[] Raw<T>(OnnxTensor<T> t)
        where T : unmanaged => MemoryMarshal.AsBytes(t.Span).ToArray();

    private static OnnxTensor<T> Numeric<T, TStored>(TensorProto proto, int[] shape, int count, string label, List<TStored> typed, Func<TStored, T> convert)
        where T : unmanaged
    {
        var data = new T[count];
        if (proto.RawData is { } raw)
        {
            var size = Marshal.SizeOf<T>();
            if (raw.LongLength != (long)count * size)
            {
                throw new OnnxModelException($"{label} has {raw.Length} bytes of raw_data but its dims [{TensorShape.Format(shape)}] need {(long)count * size}.");
            }

            EnsureLittleEndian();
            MemoryMarshal.Cast<byte, T>(raw).CopyTo(data);
        }
        else
        {
            if (typed.Count != count)
            {
                throw new OnnxModelException($"{label} has {typed.Count} values but its dims [{TensorShape.Format(shape)}] need {count}.");
            }

            for (var i = 0; i < count; i++)
            {
                data[i] = convert(typed[i]);
            }
        }

        return new OnnxTensor<T>(data, shape);
    }

    private static OnnxTensor<bool> Bools(TensorProto proto, int[] shape, int count, string label)
    {
        var data = new bool[count];
        if (proto.RawData is { } raw)
        {
            if (raw.Length != count)
            {
                throw new OnnxModelException($"{label} has {raw.Length} bytes of raw_data but its dims [{TensorShape.Format(shape)}] need {count}.");
            }

            for (var i = 0; i < count; i++)
            {
                data[i] = raw[i] != 0;
            }
        }
        else
        {
            if (proto.Int32Data.Count != count)
            {
                throw new OnnxModelException($"{label} has {proto.Int32Data.Count} values but its dims [{TensorShape.Format(shape)}] need {count}.");
            }

            for (var i = 0; i < count; i++)
            {
                data[i] = proto.Int32Data[i] != 0;
            }
        }

        return new OnnxTensor<bool>(data, shape);
    }

    private static OnnxTensor<string> Strings(TensorProto proto, int[] shape, int count, string label)
    {
        if (proto.StringData.Count != count)
        {
            throw new OnnxModelException($"{label} has {proto.StringData.Count} strings but its dims [{TensorShape.Format(shape)}] need {count}.");
        }

        var data = new string[count];
        for (var i = 0; i < count; i++)
        {
            data[i] = Encoding.UTF8.GetString(proto.StringData[i]);
        }

        return new OnnxTensor<string>(data, shape);
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; this engine runs on little-endian machines only.");
        }
    }
}

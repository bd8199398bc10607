using Escala.Onnx.Tensors;

namespace Escala.Server.Protocol;

/// <summary>Open Inference Protocol datatype names and the engine's element types.</summary>
public static class OipDatatype
{
    /// <summary>The datatype of a ZipMap output: a list of label-to-probability objects.</summary>
    public const string SequenceOfMaps = "SEQ_MAP";

    /// <summary>The element type a datatype names, or null when it names none the engine has.</summary>
    public static ElementType? ToElementType(ReadOnlySpan<char> datatype) => datatype switch
    {
        "FP32" => ElementType.Float,
        "FP64" => ElementType.Double,
        "FP16" => ElementType.Float16,
        "INT64" => ElementType.Int64,
        "INT32" => ElementType.Int32,
        "INT16" => ElementType.Int16,
        "INT8" => ElementType.Int8,
        "UINT64" => ElementType.UInt64,
        "UINT32" => ElementType.UInt32,
        "UINT16" => ElementType.UInt16,
        "UINT8" => ElementType.UInt8,
        "BOOL" => ElementType.Bool,
        "BYTES" => ElementType.String,
        _ => null,
    };

    /// <summary>The datatype name of an element type.</summary>
    public static string FromElementType(ElementType type) => type switch
    {
        ElementType.Float => "FP32",
        ElementType.Double => "FP64",
        ElementType.Float16 => "FP16",
        ElementType.Int64 => "INT64",
        ElementType.Int32 => "INT32",
        ElementType.Int16 => "INT16",
        ElementType.Int8 => "INT8",
        ElementType.UInt64 => "UINT64",
        ElementType.UInt32 => "UINT32",
        ElementType.UInt16 => "UINT16",
        ElementType.UInt8 => "UINT8",
        ElementType.Bool => "BOOL",
        ElementType.String => "BYTES",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No Open Inference Protocol datatype for this element type."),
    };
}

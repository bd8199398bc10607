namespace Escala.Onnx.Tensors;

/// <summary>Maps element types to CLR types, names and sizes.</summary>
public static class ElementTypes
{
    /// <summary>The element type of the CLR type <typeparamref name="T"/>; throws for a type tensors cannot hold.</summary>
    public static ElementType Of<T>() => ElementTypeOf<T>.Value;

    /// <summary>Whether tensors of this type can be created and run by the engine.</summary>
    public static bool IsSupported(ElementType type) => type switch
    {
        ElementType.Float or ElementType.Double or ElementType.Float16
            or ElementType.Int8 or ElementType.Int16 or ElementType.Int32 or ElementType.Int64
            or ElementType.UInt8 or ElementType.UInt16 or ElementType.UInt32 or ElementType.UInt64
            or ElementType.Bool or ElementType.String => true,
        _ => false,
    };

    /// <summary>Whether the type is a number (integer or floating point).</summary>
    public static bool IsNumeric(ElementType type) => IsSupported(type) && type is not (ElementType.Bool or ElementType.String);

    /// <summary>Whether the type is a floating-point number.</summary>
    public static bool IsFloatingPoint(ElementType type) => type is ElementType.Float or ElementType.Double or ElementType.Float16;

    /// <summary>Whether the type is a signed or unsigned integer.</summary>
    public static bool IsInteger(ElementType type) => IsNumeric(type) && !IsFloatingPoint(type);

    /// <summary>The CLR type that holds one element, or null for an unsupported type.</summary>
    public static Type? ClrType(ElementType type) => type switch
    {
        ElementType.Float => typeof(float),
        ElementType.Double => typeof(double),
        ElementType.Float16 => typeof(Half),
        ElementType.Int8 => typeof(sbyte),
        ElementType.Int16 => typeof(short),
        ElementType.Int32 => typeof(int),
        ElementType.Int64 => typeof(long),
        ElementType.UInt8 => typeof(byte),
        ElementType.UInt16 => typeof(ushort),
        ElementType.UInt32 => typeof(uint),
        ElementType.UInt64 => typeof(ulong),
        ElementType.Bool => typeof(bool),
        ElementType.String => typeof(string),
        _ => null,
    };

    /// <summary>Bytes per element in ONNX raw_data (0 for strings and unsupported types).</summary>
    public static int Size(ElementType type) => type switch
    {
        ElementType.Float or ElementType.Int32 or ElementType.UInt32 => 4,
        ElementType.Double or ElementType.Int64 or ElementType.UInt64 => 8,
        ElementType.Float16 or ElementType.Int16 or ElementType.UInt16 or ElementType.BFloat16 => 2,
        ElementType.Int8 or ElementType.UInt8 or ElementType.Bool => 1,
        _ => 0,
    };

    /// <summary>The lower-case ONNX name of the type as in <c>tensor(float)</c>.</summary>
    public static string Name(ElementType type) => type switch
    {
        ElementType.Float => "float",
        ElementType.Double => "double",
        ElementType.Float16 => "float16",
        ElementType.Int8 => "int8",
        ElementType.Int16 => "int16",
        ElementType.Int32 => "int32",
        ElementType.Int64 => "int64",
        ElementType.UInt8 => "uint8",
        ElementType.UInt16 => "uint16",
        ElementType.UInt32 => "uint32",
        ElementType.UInt64 => "uint64",
        ElementType.Bool => "bool",
        ElementType.String => "string",
        ElementType.Complex64 => "complex64",
        ElementType.Complex128 => "complex128",
        ElementType.BFloat16 => "bfloat16",
        ElementType.Undefined => "undefined",
        _ => $"type {(int)type}",
    };

    private static class ElementTypeOf<T>
    {
        public static readonly ElementType Value = Compute();

        private static ElementType Compute()
        {
            var t = typeof(T);
            if (t == typeof(float)) return ElementType.Float;
            if (t == typeof(double)) return ElementType.Double;
            if (t == typeof(Half)) return ElementType.Float16;
            if (t == typeof(sbyte)) return ElementType.Int8;
            if (t == typeof(short)) return ElementType.Int16;
            if (t == typeof(int)) return ElementType.Int32;
            if (t == typeof(long)) return ElementType.Int64;
            if (t == typeof(byte)) return ElementType.UInt8;
            if (t == typeof(ushort)) return ElementType.UInt16;
            if (t == typeof(uint)) return ElementType.UInt32;
            if (t == typeof(ulong)) return ElementType.UInt64;
            if (t == typeof(bool)) return ElementType.Bool;
            if (t == typeof(string)) return ElementType.String;
            return ElementType.Undefined;
        }
    }
}

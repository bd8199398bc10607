using System.Numerics;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Dispatch;

/// <summary>Makes a generic kernel for a numeric element type.</summary>
internal interface INumericFactory<TResult>
{
    TResult Create<T>()
        where T : unmanaged, INumber<T>;
}

/// <summary>Makes a generic kernel for a floating-point element type.</summary>
internal interface IFloatFactory<TResult>
{
    TResult Create<T>()
        where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>Makes a generic kernel for any element type (copying and indexing kernels).</summary>
internal interface IAnyFactory<TResult>
{
    TResult Create<T>();
}

/// <summary>
/// The one place an element type chosen at compile time becomes a generic type argument, so each
/// kernel is specialised per type by the JIT and runs without per-element dispatch.
/// </summary>
internal static class TypeDispatch
{
    public static readonly ElementType[] FloatTypes = [ElementType.Float, ElementType.Double, ElementType.Float16];

    public static readonly ElementType[] SignedIntegers = [ElementType.Int8, ElementType.Int16, ElementType.Int32, ElementType.Int64];

    public static readonly ElementType[] UnsignedIntegers = [ElementType.UInt8, ElementType.UInt16, ElementType.UInt32, ElementType.UInt64];

    public static readonly ElementType[] NumericTypes = [.. FloatTypes, .. SignedIntegers, .. UnsignedIntegers];

    public static readonly ElementType[] SignedTypes = [.. FloatTypes, .. SignedIntegers];

    public static readonly ElementType[] AllTypes = [.. NumericTypes, ElementType.Bool, ElementType.String];

    public static TResult Numeric<TFactory, TResult>(ElementType type, TFactory factory)
        where TFactory : INumericFactory<TResult> => type switch
        {
            ElementType.Float => factory.Create<float>(),
            ElementType.Double => factory.Create<double>(),
            ElementType.Float16 => factory.Create<Half>(),
            ElementType.Int8 => factory.Create<sbyte>(),
            ElementType.Int16 => factory.Create<short>(),
            ElementType.Int32 => factory.Create<int>(),
            ElementType.Int64 => factory.Create<long>(),
            ElementType.UInt8 => factory.Create<byte>(),
            ElementType.UInt16 => factory.Create<ushort>(),
            ElementType.UInt32 => factory.Create<uint>(),
            ElementType.UInt64 => factory.Create<ulong>(),
            _ => throw new NotSupportedException($"element type {ElementTypes.Name(type)} is not numeric"),
        };

    public static TResult Float<TFactory, TResult>(ElementType type, TFactory factory)
        where TFactory : IFloatFactory<TResult> => type switch
        {
            ElementType.Float => factory.Create<float>(),
            ElementType.Double => factory.Create<double>(),
            ElementType.Float16 => factory.Create<Half>(),
            _ => throw new NotSupportedException($"element type {ElementTypes.Name(type)} is not floating point"),
        };

    public static TResult Any<TFactory, TResult>(ElementType type, TFactory factory)
        where TFactory : IAnyFactory<TResult> => type switch
        {
            ElementType.Float => factory.Create<float>(),
            ElementType.Double => factory.Create<double>(),
            ElementType.Float16 => factory.Create<Half>(),
            ElementType.Int8 => factory.Create<sbyte>(),
            ElementType.Int16 => factory.Create<short>(),
            ElementType.Int32 => factory.Create<int>(),
            ElementType.Int64 => factory.Create<long>(),
            ElementType.UInt8 => factory.Create<byte>(),
            ElementType.UInt16 => factory.Create<ushort>(),
            ElementType.UInt32 => factory.Create<uint>(),
            ElementType.UInt64 => factory.Create<ulong>(),
            ElementType.Bool => factory.Create<bool>(),
            ElementType.String => factory.Create<string>(),
            _ => throw new NotSupportedException($"element type {ElementTypes.Name(type)} is not supported"),
        };
}

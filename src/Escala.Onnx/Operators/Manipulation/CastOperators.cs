using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Manipulation;

/// <summary>Cast (to the type in attribute 'to') and CastLike (to the type of input 1), between every supported type.</summary>
internal static class CastOperators
{
    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Default, "Cast", 6, CreateCast);
        registry.Add(OpsetDomains.Default, "CastLike", 15, CreateCastLike);
    }

    private static IKernel CreateCast(KernelBuildContext node)
    {
        var to = (ElementType)node.GetInt("to");
        return Create(node, to);
    }

    private static IKernel CreateCastLike(KernelBuildContext node) => Create(node, node.InputElementType(1));

    private static IKernel Create(KernelBuildContext node, ElementType to)
    {
        var from = node.RequireType(0, TypeDispatch.AllTypes);
        if (!ElementTypes.IsSupported(to))
        {
            throw node.Fail($"cannot cast to {ElementTypes.Name(to)}, which the engine does not support");
        }

        node.SetOutput(0, to, node.InputShape(0));
        return TypeDispatch.Any<FromFactory, IKernel>(from, new FromFactory(to));
    }

    private readonly struct FromFactory(ElementType to) : IAnyFactory<IKernel>
    {
        public IKernel Create<TFrom>() => TypeDispatch.Any<ToFactory<TFrom>, IKernel>(to, default);
    }

    private readonly struct ToFactory<TFrom> : IAnyFactory<IKernel>
    {
        public IKernel Create<TTo>() => new CastKernel<TFrom, TTo>(Converter<TFrom, TTo>());
    }

    private static SpanConverter<TFrom, TTo> Converter<TFrom, TTo>()
    {
        if (typeof(TFrom) == typeof(TTo))
        {
            return (SpanConverter<TFrom, TTo>)(object)new SpanConverter<TFrom, TFrom>((s, d) => s.CopyTo(d));
        }

        object converter = (typeof(TFrom), typeof(TTo)) switch
        {
            (var f, var t) when f == typeof(string) && t == typeof(bool) => new SpanConverter<string, bool>(StringToBool),
            (var f, var t) when f == typeof(bool) && t == typeof(string) => new SpanConverter<bool, string>(BoolToString),
            (var f, _) when f == typeof(string) => TypeDispatch.Numeric<FromStringFactory, object>(ElementTypes.Of<TTo>(), default),
            (_, var t) when t == typeof(string) => TypeDispatch.Numeric<ToStringFactory, object>(ElementTypes.Of<TFrom>(), default),
            (var f, _) when f == typeof(bool) => TypeDispatch.Numeric<FromBoolFactory, object>(ElementTypes.Of<TTo>(), default),
            (_, var t) when t == typeof(bool) => TypeDispatch.Numeric<ToBoolFactory, object>(ElementTypes.Of<TFrom>(), default),
            _ => TypeDispatch.Numeric<NumericFromFactory<TTo>, object>(ElementTypes.Of<TFrom>(), default),
        };
        return (SpanConverter<TFrom, TTo>)converter;
    }

    private delegate void SpanConverter<TFrom, TTo>(ReadOnlySpan<TFrom> source, Span<TTo> destination);

    private sealed class CastKernel<TFrom, TTo>(SpanConverter<TFrom, TTo> convert) : IKernel
    {
        public void Run(KernelContext context)
        {
            var x = context.Input<TFrom>(0);
            var y = context.Output<TTo>(0, x.ShapeRef);
            convert(x.Span, y.Span);
        }
    }

    private readonly struct NumericFromFactory<TTo> : INumericFactory<object>
    {
        public object Create<TFrom>()
            where TFrom : unmanaged, INumber<TFrom> => TypeDispatch.Numeric<NumericToFactory<TFrom>, object>(ElementTypes.Of<TTo>(), default);
    }

    private readonly struct NumericToFactory<TFrom> : INumericFactory<object>
        where TFrom : unmanaged, INumber<TFrom>
    {
        public object Create<TTo>()
            where TTo : unmanaged, INumber<TTo> => new SpanConverter<TFrom, TTo>(static (s, d) => TensorPrimitives.ConvertTruncating(s, d));
    }

    private readonly struct ToBoolFactory : INumericFactory<object>
    {
        public object Create<T>()
            where T : unmanaged, INumber<T> => new SpanConverter<T, bool>(static (s, d) =>
            {
                for (var i = 0; i < d.Length; i++)
                {
                    d[i] = !T.IsZero(s[i]);
                }
            });
    }

    private readonly struct FromBoolFactory : INumericFactory<object>
    {
        public object Create<T>()
            where T : unmanaged, INumber<T> => new SpanConverter<bool, T>(static (s, d) =>
            {
                for (var i = 0; i < d.Length; i++)
                {
                    d[i] = s[i] ? T.One : T.Zero;
                }
            });
    }

    private readonly struct ToStringFactory : INumericFactory<object>
    {
        public object Create<T>()
            where T : unmanaged, INumber<T> => new SpanConverter<T, string>(static (s, d) =>
            {
                for (var i = 0; i < d.Length; i++)
                {
                    d[i] = Format(s[i]);
                }
            });
    }

    private readonly struct FromStringFactory : INumericFactory<object>
    {
        public object Create<T>()
            where T : unmanaged, INumber<T> => new SpanConverter<string, T>(static (s, d) =>
            {
                for (var i = 0; i < d.Length; i++)
                {
                    d[i] = Parse<T>(s[i]);
                }
            });
    }

    private static string Format<T>(T value)
        where T : INumber<T>
    {
        if (T.IsNaN(value))
        {
            return "NaN";
        }

        if (T.IsInfinity(value))
        {
            return T.IsNegative(value) ? "-INF" : "INF";
        }

        return value.ToString(null, CultureInfo.InvariantCulture);
    }

    private static T Parse<T>(string text)
        where T : INumber<T>
    {
        var s = text.Trim();
        if (T.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return T.CreateTruncating(d);
        }

        return s.ToUpperInvariant() switch
        {
            "INF" or "+INF" or "INFINITY" => T.CreateSaturating(double.PositiveInfinity),
            "-INF" or "-INFINITY" => T.CreateSaturating(double.NegativeInfinity),
            "NAN" => T.CreateSaturating(double.NaN),
            _ => throw new FormatException($"cannot cast the string \"{text}\" to {ElementTypes.Name(ElementTypes.Of<T>())}"),
        };
    }

    private static void StringToBool(ReadOnlySpan<string> source, Span<bool> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            var s = source[i].Trim();
            destination[i] = bool.TryParse(s, out var b) ? b : Parse<double>(s) != 0;
        }
    }

    private static void BoolToString(ReadOnlySpan<bool> source, Span<string> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = source[i] ? "1" : "0";
        }
    }
}

using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Escala.Onnx.Tensors;

namespace Escala.Server.Protocol;

/// <summary>
/// Reads the <c>data</c> array of one input straight into a typed buffer: flat or nested arrays, numbers,
/// <c>"NaN"</c> / <c>"Infinity"</c> / <c>"-Infinity"</c> for floats, numeric strings for 64-bit integers.
/// A declared shape sizes the buffer only when the body has enough bytes left to hold that many elements.
/// </summary>
internal static class TensorDataReader
{
    public static OnnxTensor Read(ref Utf8JsonReader reader, ElementType type, int[]? shape, string input, long remainingBytes) => type switch
    {
        ElementType.Float => Read<float>(ref reader, shape, input, remainingBytes),
        ElementType.Double => Read<double>(ref reader, shape, input, remainingBytes),
        ElementType.Float16 => Read<Half>(ref reader, shape, input, remainingBytes),
        ElementType.Int64 => Read<long>(ref reader, shape, input, remainingBytes),
        ElementType.Int32 => Read<int>(ref reader, shape, input, remainingBytes),
        ElementType.Int16 => Read<short>(ref reader, shape, input, remainingBytes),
        ElementType.Int8 => Read<sbyte>(ref reader, shape, input, remainingBytes),
        ElementType.UInt64 => Read<ulong>(ref reader, shape, input, remainingBytes),
        ElementType.UInt32 => Read<uint>(ref reader, shape, input, remainingBytes),
        ElementType.UInt16 => Read<ushort>(ref reader, shape, input, remainingBytes),
        ElementType.UInt8 => Read<byte>(ref reader, shape, input, remainingBytes),
        ElementType.Bool => Read<bool>(ref reader, shape, input, remainingBytes),
        ElementType.String => Read<string>(ref reader, shape, input, remainingBytes),
        _ => throw new InferenceProtocolException(ProtocolErrorKind.UnknownDatatype, input, $"Input '{input}' has an unsupported datatype."),
    };

    private static OnnxTensor<T> Read<T>(ref Utf8JsonReader reader, int[]? shape, string input, long remainingBytes)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            // A single scalar value is accepted for a tensor of one element.
            var one = new T[1];
            one[0] = Element<T>(ref reader, input, 0);
            return Finish(one, 1, shape, input);
        }

        T[] buffer;
        var pooled = false;
        if (shape is not null)
        {
            var declared = TensorShape.Size(shape);

            // Each element needs at least one character and a separator: never allocate past what the body can hold.
            if (declared > (remainingBytes / 2) + 1)
            {
                throw new InferenceProtocolException(
                    ProtocolErrorKind.ShapeMismatch,
                    input,
                    $"Input '{input}' declares shape [{TensorShape.Format(shape)}] ({declared} elements) but the request is too short to hold them.");
            }

            buffer = new T[declared];
        }
        else
        {
            buffer = ArrayPool<T>.Shared.Rent(64);
            pooled = true;
        }

        var count = 0;
        var depth = 0;
        var nesting = default(Nesting);
        while (true)
        {
            if (!reader.Read())
            {
                throw new InferenceProtocolException(ProtocolErrorKind.InvalidJson, input, $"The data of input '{input}' ends early.");
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    nesting.Open(depth, shape, input);
                    depth++;
                    continue;
                case JsonTokenType.EndArray:
                    nesting.Close(depth, shape, input);
                    if (depth-- == 0)
                    {
                        var result = Finish(buffer, count, shape, input);
                        if (pooled)
                        {
                            ArrayPool<T>.Shared.Return(buffer, RuntimeHelpers.IsReferenceOrContainsReferences<T>());
                        }

                        return result;
                    }

                    continue;
            }

            if (count == buffer.Length)
            {
                if (!pooled)
                {
                    throw TooMany(input, shape!, count + 1);
                }

                var larger = ArrayPool<T>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, count).CopyTo(larger);
                ArrayPool<T>.Shared.Return(buffer, RuntimeHelpers.IsReferenceOrContainsReferences<T>());
                buffer = larger;
            }

            nesting.Element(depth, shape, input);
            buffer[count] = Element<T>(ref reader, input, count);
            count++;
        }
    }

    /// <summary>
    /// Checks nested data against the declared shape: data is either flat (every element in the outer array) or
    /// nested exactly as the shape says, each array at level d holding shape[d] items. Otherwise a ragged
    /// <c>[[1,2,3],[5,6,7,8,9]]</c> for [2,4] would hold the right number of elements and be silently realigned.
    /// Flat data (the usual case) costs a comparison per element; the counters are allocated only for nested data.
    /// </summary>
    private struct Nesting
    {
        private int[]? _children;
        private int _elementDepth;

        public void Open(int depth, int[]? shape, string input)
        {
            if (shape is null)
            {
                return;
            }

            if (_elementDepth == 1 || depth + 1 >= shape.Length)
            {
                throw Ragged(input, shape);
            }

            _children ??= new int[shape.Length];
            _children[depth]++;
            _children[depth + 1] = 0;
            _elementDepth = -1;
        }

        public void Close(int depth, int[]? shape, string input)
        {
            if (shape is null || _children is null)
            {
                return;
            }

            if (_children[depth] != shape[depth])
            {
                throw Ragged(input, shape);
            }
        }

        public void Element(int depth, int[]? shape, string input)
        {
            if (shape is null)
            {
                return;
            }

            if (_children is null)
            {
                // Flat data: only elements in the outer array; a later nested array is refused by Open.
                _elementDepth = 1;
                return;
            }

            if (depth != shape.Length - 1)
            {
                throw Ragged(input, shape);
            }

            _children[depth]++;
        }

        private static InferenceProtocolException Ragged(string input, int[] shape) => new(
            ProtocolErrorKind.ShapeMismatch,
            input,
            $"The data of input '{input}' is nested differently from its shape [{TensorShape.Format(shape)}]: send it flat, or nested with exactly {string.Join(" x ", shape)} items per level.");
    }

    private static OnnxTensor<T> Finish<T>(T[] buffer, int count, int[]? shape, string input)
    {
        if (shape is null)
        {
            return new OnnxTensor<T>(buffer.AsSpan(0, count).ToArray(), count);
        }

        var declared = TensorShape.Size(shape);
        if (count != declared)
        {
            throw count > declared
                ? TooMany(input, shape, count)
                : new InferenceProtocolException(
                    ProtocolErrorKind.ShapeMismatch,
                    input,
                    $"Input '{input}' has {count} data elements but its shape [{TensorShape.Format(shape)}] needs {declared}.");
        }

        return buffer.Length == count ? new OnnxTensor<T>(buffer, shape) : new OnnxTensor<T>(buffer.AsSpan(0, count).ToArray(), shape);
    }

    private static InferenceProtocolException TooMany(string input, int[] shape, int atLeast) => new(
        ProtocolErrorKind.ShapeMismatch,
        input,
        $"Input '{input}' has more data elements ({atLeast} or more) than its shape [{TensorShape.Format(shape)}] holds ({TensorShape.Size(shape)}).");

    private static T Element<T>(ref Utf8JsonReader reader, string input, int index)
    {
        if (typeof(T) == typeof(float))
        {
            var d = Floating(ref reader, input, index, "FP32");
            var v = (float)d;
            if (float.IsInfinity(v) && double.IsFinite(d))
            {
                throw OutOfRange(input, index, d, "FP32", float.MaxValue);
            }

            return Unsafe.As<float, T>(ref v);
        }

        if (typeof(T) == typeof(double))
        {
            var v = Floating(ref reader, input, index, "FP64");
            return Unsafe.As<double, T>(ref v);
        }

        if (typeof(T) == typeof(Half))
        {
            var d = Floating(ref reader, input, index, "FP16");
            var v = (Half)d;
            if (Half.IsInfinity(v) && double.IsFinite(d))
            {
                throw OutOfRange(input, index, d, "FP16", (double)Half.MaxValue);
            }

            return Unsafe.As<Half, T>(ref v);
        }

        if (typeof(T) == typeof(bool))
        {
            bool v;
            if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
            {
                v = reader.GetBoolean();
            }
            else if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n) && n is 0 or 1)
            {
                v = n == 1;
            }
            else
            {
                throw Invalid(input, index, "BOOL", ref reader);
            }

            return Unsafe.As<bool, T>(ref v);
        }

        if (typeof(T) == typeof(string))
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw Invalid(input, index, "BYTES", ref reader);
            }

            return (T)(object)reader.GetString()!;
        }

        var value = Integer(ref reader, input, index);
        if (typeof(T) == typeof(long))
        {
            var v = (long)value;
            return Unsafe.As<long, T>(ref v);
        }

        if (typeof(T) == typeof(ulong))
        {
            var v = (ulong)value;
            return Unsafe.As<ulong, T>(ref v);
        }

        return Narrow<T>(value, input, index);
    }

    private static T Narrow<T>(Int128 value, string input, int index)
    {
        static bool In(Int128 v, Int128 min, Int128 max) => v >= min && v <= max;
        if (typeof(T) == typeof(int) && In(value, int.MinValue, int.MaxValue))
        {
            var v = (int)value;
            return Unsafe.As<int, T>(ref v);
        }

        if (typeof(T) == typeof(short) && In(value, short.MinValue, short.MaxValue))
        {
            var v = (short)value;
            return Unsafe.As<short, T>(ref v);
        }

        if (typeof(T) == typeof(sbyte) && In(value, sbyte.MinValue, sbyte.MaxValue))
        {
            var v = (sbyte)value;
            return Unsafe.As<sbyte, T>(ref v);
        }

        if (typeof(T) == typeof(uint) && In(value, uint.MinValue, uint.MaxValue))
        {
            var v = (uint)value;
            return Unsafe.As<uint, T>(ref v);
        }

        if (typeof(T) == typeof(ushort) && In(value, ushort.MinValue, ushort.MaxValue))
        {
            var v = (ushort)value;
            return Unsafe.As<ushort, T>(ref v);
        }

        if (typeof(T) == typeof(byte) && In(value, byte.MinValue, byte.MaxValue))
        {
            var v = (byte)value;
            return Unsafe.As<byte, T>(ref v);
        }

        var name = OipDatatype.FromElementType(ElementTypes.Of<T>());
        throw new InferenceProtocolException(ProtocolErrorKind.InvalidValue, input, $"Input '{input}' element {index} ({value}) is out of range for {name}.");
    }

    // A number too large for the datatype would silently become infinity: refused, naming the element and the range.
    // Infinity itself is sent as the string "Infinity", on purpose.
    private static InferenceProtocolException OutOfRange(string input, int index, double value, string datatype, double max) => new(
        ProtocolErrorKind.InvalidValue,
        input,
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Input '{input}' element {index} ({value:R}) is out of range for {datatype} (largest finite value {max:G9}); send \"Infinity\" if infinity is meant."));

    private static double Floating(ref Utf8JsonReader reader, string input, int index, string datatype)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (!reader.HasValueSequence && FastDecimal.TryParse(reader.ValueSpan, out var fast))
            {
                return fast;
            }

            if (reader.TryGetDouble(out var d))
            {
                return double.IsFinite(d) ? d : throw OutOfRange(input, index, d, datatype, double.MaxValue);
            }

            throw OutOfRange(input, index, double.PositiveInfinity, datatype, double.MaxValue);
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("NaN"u8))
            {
                return double.NaN;
            }

            if (reader.ValueTextEquals("Infinity"u8) || reader.ValueTextEquals("inf"u8))
            {
                return double.PositiveInfinity;
            }

            if (reader.ValueTextEquals("-Infinity"u8) || reader.ValueTextEquals("-inf"u8))
            {
                return double.NegativeInfinity;
            }
        }

        throw Invalid(input, index, datatype, ref reader);
    }

    private static Int128 Integer(ref Utf8JsonReader reader, string input, int index)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt64(out var l))
            {
                return l;
            }

            if (reader.TryGetUInt64(out var u))
            {
                return u;
            }
        }
        else if (reader.TokenType == JsonTokenType.String
            && Int128.TryParse(reader.GetString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            && parsed >= long.MinValue && parsed <= ulong.MaxValue)
        {
            // 64-bit values beyond 2^53 may come as strings, since JSON numbers lose them in many clients.
            return parsed;
        }

        throw Invalid(input, index, "an integer datatype", ref reader);
    }

    private static InferenceProtocolException Invalid(string input, int index, string datatype, ref Utf8JsonReader reader)
    {
        var shown = reader.TokenType switch
        {
            JsonTokenType.String => $"\"{reader.GetString()}\"",
            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            JsonTokenType.Null => "null",
            _ => reader.TokenType.ToString(),
        };
        return new InferenceProtocolException(ProtocolErrorKind.InvalidValue, input, $"Input '{input}' element {index} ({shown}) is not a valid {datatype} value.");
    }
}

using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Ml.Encoding;

/// <summary>
/// LabelEncoder, all three generations:
/// <list type="bullet">
/// <item>opset 1: <c>classes_strings</c>; a string becomes its index (<c>default_int64</c>, -1, if absent), an int64
/// becomes the string at that index (<c>default_string</c>, "_Unused", if out of range).</item>
/// <item>opset 2: parallel <c>keys_*</c> / <c>values_*</c> lists of strings, int64s or floats, with
/// <c>default_string</c>, <c>default_int64</c> and <c>default_float</c> (-0.0). A repeated key keeps its first value and a
/// NaN key matches nothing, as in ONNX Runtime.</item>
/// <item>opset 4: keys and values may also be tensors (<c>keys_tensor</c>, <c>values_tensor</c>, of string, int64,
/// int32, int16, float or double) and the default a one-element <c>default_tensor</c>; as the specification says, NaN
/// keys match NaN inputs and a repeated key keeps its last value.</item>
/// </list>
/// The output has the input's shape and the values' type.
/// </summary>
internal static class LabelEncoderOperator
{
    private static readonly ElementType[] Types =
        [ElementType.String, ElementType.Int64, ElementType.Float, ElementType.Int32, ElementType.Int16, ElementType.Double];

    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Ml, "LabelEncoder", 1, CreateOpset1);
        registry.Add(OpsetDomains.Ml, "LabelEncoder", 2, Create);
        registry.Add(OpsetDomains.Ml, "LabelEncoder", 4, Create);
    }

    private static IKernel CreateOpset1(KernelBuildContext node)
    {
        var type = node.RequireType(0, [ElementType.String, ElementType.Int64]);
        var classes = node.GetStrings("classes_strings") ?? [];
        if (type == ElementType.String)
        {
            node.SetOutput(0, ElementType.Int64, node.InputShape(0));
            var index = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < classes.Length; i++)
            {
                index.TryAdd(classes[i], i);
            }

            return new MappingKernel<string, long>(index, node.GetInt("default_int64", -1));
        }

        node.SetOutput(0, ElementType.String, node.InputShape(0));
        var byIndex = new Dictionary<long, string>();
        for (var i = 0; i < classes.Length; i++)
        {
            byIndex[i] = classes[i];
        }

        return new MappingKernel<long, string>(byIndex, node.GetString("default_string", "_Unused"));
    }

    private static IKernel Create(KernelBuildContext node)
    {
        var opset4 = node.SinceVersion >= 4;
        var keys = Pick(node, "keys", opset4);
        var values = Pick(node, "values", opset4);
        if (keys.Values.Length != values.Values.Length)
        {
            throw node.Fail($"keys_* has {keys.Values.Length} entries and values_* {values.Values.Length}; they must pair up");
        }

        var inputType = node.RequireType(0, Types);
        if (inputType != keys.Type)
        {
            throw node.Fail($"the input is {ElementTypes.Name(inputType)} but the keys are {ElementTypes.Name(keys.Type)}; they must match");
        }

        node.SetOutput(0, values.Type, node.InputShape(0));
        var fallback = Default(node, values.Type, opset4);
        return keys.Type switch
        {
            ElementType.String => ForValues<string>(node, keys.Values, values, fallback, opset4),
            ElementType.Int64 => ForValues<long>(node, keys.Values, values, fallback, opset4),
            ElementType.Int32 => ForValues<int>(node, keys.Values, values, fallback, opset4),
            ElementType.Int16 => ForValues<short>(node, keys.Values, values, fallback, opset4),
            ElementType.Float => ForValues<float>(node, keys.Values, values, fallback, opset4),
            _ => ForValues<double>(node, keys.Values, values, fallback, opset4),
        };
    }

    private static IKernel ForValues<TKey>(KernelBuildContext node, Array keys, (ElementType Type, Array Values) values, object fallback, bool opset4)
        where TKey : notnull => values.Type switch
        {
            ElementType.String => Build<TKey, string>(node, keys, values.Values, fallback, opset4),
            ElementType.Int64 => Build<TKey, long>(node, keys, values.Values, fallback, opset4),
            ElementType.Int32 => Build<TKey, int>(node, keys, values.Values, fallback, opset4),
            ElementType.Int16 => Build<TKey, short>(node, keys, values.Values, fallback, opset4),
            ElementType.Float => Build<TKey, float>(node, keys, values.Values, fallback, opset4),
            _ => Build<TKey, double>(node, keys, values.Values, fallback, opset4),
        };

    private static MappingKernel<TKey, TValue> Build<TKey, TValue>(KernelBuildContext node, Array keys, Array values, object fallback, bool opset4)
        where TKey : notnull
    {
        var typedKeys = (TKey[])keys;
        var typedValues = (TValue[])values;
        var map = typeof(TKey) == typeof(string)
            ? new Dictionary<TKey, TValue>((IEqualityComparer<TKey>)StringComparer.Ordinal)
            : new Dictionary<TKey, TValue>();
        for (var i = 0; i < typedKeys.Length; i++)
        {
            var key = typedKeys[i];
            if (!opset4 && IsNaN(key))
            {
                continue;
            }

            if (opset4)
            {
                map[key] = typedValues[i];
            }
            else
            {
                map.TryAdd(key, typedValues[i]);
            }
        }

        try
        {
            return new MappingKernel<TKey, TValue>(map, (TValue)Convert.ChangeType(fallback, typeof(TValue), System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (OverflowException)
        {
            throw node.Fail($"the default value {fallback} does not fit the values' type {typeof(TValue).Name}");
        }
    }

    private static bool IsNaN<TKey>(TKey key) => key is float f ? float.IsNaN(f) : key is double d && double.IsNaN(d);

    /// <summary>The one set attribute of keys_* (or values_*), as a typed array with its element type.</summary>
    private static (ElementType Type, Array Values) Pick(KernelBuildContext node, string prefix, bool opset4)
    {
        var found = new List<(ElementType, Array)>();
        if (node.GetStrings($"{prefix}_strings") is { } strings)
        {
            found.Add((ElementType.String, strings));
        }

        if (node.GetInts($"{prefix}_int64s") is { } ints)
        {
            found.Add((ElementType.Int64, ints));
        }

        if (node.GetFloats($"{prefix}_floats") is { } floats)
        {
            found.Add((ElementType.Float, floats));
        }

        if (opset4 && node.GetTensor($"{prefix}_tensor") is { } tensor)
        {
            found.Add(tensor switch
            {
                OnnxTensor<string> t => (ElementType.String, t.ToArray()),
                OnnxTensor<long> t => (ElementType.Int64, t.ToArray()),
                OnnxTensor<int> t => (ElementType.Int32, t.ToArray()),
                OnnxTensor<short> t => (ElementType.Int16, t.ToArray()),
                OnnxTensor<float> t => (ElementType.Float, t.ToArray()),
                OnnxTensor<double> t => (ElementType.Double, t.ToArray()),
                _ => throw node.Fail($"{prefix}_tensor is {tensor}; supported element types are string, int64, int32, int16, float, double"),
            });
        }

        return found.Count == 1
            ? found[0]
            : throw node.Fail($"exactly one {prefix}_* attribute must be set ({(found.Count == 0 ? "none is" : $"{found.Count} are")})");
    }

    /// <summary>The value for keys not found: default_tensor (opset 4), else the default_* attribute of the values' kind.</summary>
    private static object Default(KernelBuildContext node, ElementType valueType, bool opset4)
    {
        if (opset4 && node.GetTensor("default_tensor") is { } tensor)
        {
            if (tensor.Length != 1 || tensor.ElementType != valueType)
            {
                throw node.Fail($"default_tensor is {tensor}; it must hold one {ElementTypes.Name(valueType)}");
            }

            return tensor switch
            {
                OnnxTensor<string> t => t[0],
                OnnxTensor<long> t => t[0],
                OnnxTensor<int> t => t[0],
                OnnxTensor<short> t => t[0],
                OnnxTensor<float> t => t[0],
                OnnxTensor<double> t => (object)t[0],
                _ => throw node.Fail($"default_tensor of type {ElementTypes.Name(tensor.ElementType)} is not supported"),
            };
        }

        return valueType switch
        {
            ElementType.String => node.GetString("default_string", "_Unused"),
            ElementType.Float or ElementType.Double => node.GetFloat("default_float", -0f),
            _ => node.GetInt("default_int64", -1),
        };
    }
}

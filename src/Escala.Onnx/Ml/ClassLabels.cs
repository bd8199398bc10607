using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Ml;

/// <summary>The class labels of a classifier: int64 or string, exactly one of the two attributes set.</summary>
internal sealed class ClassLabels
{
    private readonly long[]? _ints;
    private readonly string[]? _strings;

    private ClassLabels(long[]? ints, string[]? strings)
    {
        _ints = ints;
        _strings = strings;
    }

    /// <summary>Number of classes.</summary>
    public int Count => _ints?.Length ?? _strings!.Length;

    /// <summary>The label output's element type.</summary>
    public ElementType ElementType => _ints is not null ? ElementType.Int64 : ElementType.String;

    /// <summary>Reads the labels from <paramref name="intsName"/> or <paramref name="stringsName"/>; one must be set and non-empty.</summary>
    public static ClassLabels Read(KernelBuildContext node, string intsName, string stringsName)
    {
        var ints = node.GetInts(intsName);
        var strings = node.GetStrings(stringsName);
        if (ints is { Length: > 0 } && strings is { Length: > 0 })
        {
            throw node.Fail($"both '{intsName}' and '{stringsName}' are set; a classifier has one kind of label");
        }

        if (ints is { Length: > 0 })
        {
            return new ClassLabels(ints, null);
        }

        return strings is { Length: > 0 }
            ? new ClassLabels(null, strings)
            : throw node.Fail($"the class labels are missing: set '{intsName}' or '{stringsName}'");
    }

    /// <summary>The labels as int64 (null for string labels).</summary>
    public long[]? Ints => _ints;

    /// <summary>The labels as strings (null for int64 labels).</summary>
    public string[]? Strings => _strings;

    /// <summary>Writes, as output <paramref name="output"/> of shape [N], the label of each row's class index.</summary>
    public void Write(KernelContext context, int output, ReadOnlySpan<int> classes)
    {
        if (_ints is not null)
        {
            var y = context.Output<long>(output, [classes.Length]).Span;
            for (var i = 0; i < classes.Length; i++)
            {
                y[i] = _ints[classes[i]];
            }
        }
        else
        {
            var y = context.Output<string>(output, [classes.Length]).Span;
            for (var i = 0; i < classes.Length; i++)
            {
                y[i] = _strings![classes[i]];
            }
        }
    }
}

using Escala.Onnx.Building;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Ml;

/// <summary>
/// One ai.onnx.ml node as a real ONNX model (made with <see cref="OnnxModelBuilder"/> and loaded from its bytes), for
/// tests that check an operator end to end: attributes parsed, kernel bound, outputs computed.
/// </summary>
internal sealed class OneNodeModel
{
    private readonly List<(string Name, OnnxTensor Value)> _inputs = [];
    private readonly List<string> _outputs = [];
    private readonly string _op;
    private readonly Action<OnnxNodeBuilder> _attributes;
    private readonly long _opset;

    public OneNodeModel(string op, Action<OnnxNodeBuilder> attributes, long opset = 3)
    {
        _op = op;
        _attributes = attributes;
        _opset = opset;
    }

    public OneNodeModel Input<T>(string name, T[] data, params int[] shape)
    {
        _inputs.Add((name, new OnnxTensor<T>(data, shape)));
        return this;
    }

    public OneNodeModel Outputs(params string[] names)
    {
        _outputs.AddRange(names);
        return this;
    }

    public byte[] ToBytes()
    {
        var builder = new OnnxModelBuilder().Opset("", 17).Opset("ai.onnx.ml", _opset);
        foreach (var (name, value) in _inputs)
        {
            // The batch dimension is symbolic, as exporters write it.
            var dims = value.Shape.ToArray().Select((d, i) => i == 0 && value.Rank == 2 ? new OnnxDim("N") : new OnnxDim(d)).ToArray();
            builder.Input(name, value.ElementType, dims);
        }

        foreach (var name in _outputs)
        {
            builder.Output(name, OnnxTypeInfo.Unknown);
        }

        builder.Node(_op, [.. _inputs.Select(i => i.Name)], [.. _outputs], b =>
        {
            _attributes(b);

            // Tests set a base set of attributes, then replace some: the last one of a name wins.
            var attributes = b.Node.Attribute;
            for (var i = attributes.Count - 1; i >= 0; i--)
            {
                if (attributes.FindLastIndex(a => a.Name == attributes[i].Name) != i)
                {
                    attributes.RemoveAt(i);
                }
            }
        }, domain: "ai.onnx.ml");
        return builder.ToBytes();
    }

    public OnnxValue[] Run() => InferenceSession.Load(ToBytes()).Run([.. _inputs.Select(i => (OnnxValue)i.Value)]);

    /// <summary>The load error (the model is refused when the session is compiled).</summary>
    public OnnxModelException LoadError() => Assert.Throws<OnnxModelException>(() => InferenceSession.Load(ToBytes()));

    /// <summary>The error of running the model on its inputs.</summary>
    public OnnxException RunError() => Assert.ThrowsAny<OnnxException>(Run);

    public static T[] Values<T>(OnnxValue value) => Assert.IsType<OnnxTensor<T>>(value).ToArray();

    public static void AssertClose(float[] expected, OnnxValue actual, float tolerance = 1e-5f)
    {
        var got = Values<float>(actual);
        Assert.Equal(expected.Length, got.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                float.IsNaN(expected[i]) ? float.IsNaN(got[i]) : Math.Abs(got[i] - expected[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {got[i]}");
        }
    }
}

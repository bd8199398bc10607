using Escala.Onnx.Building;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Operators;

/// <summary>Builds a one-node model at a given opset, runs it and returns its outputs.</summary>
internal static class NodeRunner
{
    public static OnnxValue[] Run(
        int opset, string op, (string Name, OnnxTensor Value)[] inputs, int outputs = 1, Action<OnnxNodeBuilder>? attributes = null, (string Name, OnnxTensor Value)[]? initializers = null)
    {
        var builder = new OnnxModelBuilder().Opset("", opset);
        foreach (var (name, value) in inputs)
        {
            builder.Input(name, OnnxTypeInfo.Tensor(value.ElementType, null));
        }

        foreach (var (name, value) in initializers ?? [])
        {
            builder.Initializer(name, value);
        }

        var outputNames = Enumerable.Range(0, outputs).Select(i => $"out{i}").ToArray();
        foreach (var o in outputNames)
        {
            builder.Output(o, OnnxTypeInfo.Unknown);
        }

        var nodeInputs = inputs.Select(i => i.Name).Concat((initializers ?? []).Select(i => i.Name)).ToArray();
        builder.Node(op, nodeInputs, outputNames, attributes);
        var session = InferenceSession.Load(builder.ToBytes());
        return session.Run([.. inputs.Select(i => (OnnxValue)i.Value)]);
    }

    public static OnnxTensor<T> One<T>(int opset, string op, (string Name, OnnxTensor Value)[] inputs, Action<OnnxNodeBuilder>? attributes = null, (string Name, OnnxTensor Value)[]? initializers = null) =>
        Assert.IsType<OnnxTensor<T>>(Run(opset, op, inputs, 1, attributes, initializers)[0]);

    public static OnnxTensor<float> F(float[] data, params int[] shape) => new(data, shape);

    public static OnnxTensor<long> L(params long[] data) => new(data, data.Length);
}

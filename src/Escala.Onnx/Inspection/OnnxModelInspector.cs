using Escala.Onnx.Execution;
using Escala.Onnx.Graph;
using Escala.Onnx.Protobuf;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Inspection;

/// <summary>Reports on a model file: signature, opsets, operators (supported or not, and why). Never throws for bad models.</summary>
public static class OnnxModelInspector
{
    /// <summary>Inspects model bytes; <paramref name="options"/> picks the registry judged against.</summary>
    public static ModelInspection Inspect(ReadOnlySpan<byte> bytes, OnnxSessionOptions? options = null)
    {
        options ??= OnnxSessionOptions.Default;
        ModelProto model;
        try
        {
            model = ModelReader.Parse(bytes);
        }
        catch (OnnxModelException e)
        {
            return new ModelInspection { IsOnnx = false, CanRun = false, Error = e.Message };
        }

        var graph = model.Graph!;
        var initializers = new HashSet<string>(graph.Initializer.Select(i => i.Name), StringComparer.Ordinal);
        var inspection = new ModelInspection
        {
            IsOnnx = true,
            IrVersion = model.IrVersion,
            ProducerName = model.ProducerName,
            ProducerVersion = model.ProducerVersion,
            Inputs = [.. graph.Input.Where(i => !initializers.Contains(i.Name)).Select(i => new OnnxValueInfo(i.Name, TypeProtoConverter.ToTypeInfo(i.Type)))],
            Outputs = [.. graph.Output.Select(o => new OnnxValueInfo(o.Name, TypeProtoConverter.ToTypeInfo(o.Type)))],
            NodeCount = graph.Node.Count,
            InitializerCount = graph.Initializer.Count,
        };

        OpsetImports opsets;
        try
        {
            opsets = OpsetImports.From(model);
        }
        catch (OnnxModelException e)
        {
            return inspection with { Error = e.Message };
        }

        inspection = inspection with
        {
            Opsets = opsets.Versions,
            Operators = ModelReader.Operators(model, opsets, options.Registry),
        };

        try
        {
            var compiled = PlanCompiler.Compile(model, options);
            return inspection with { CanRun = true, Inputs = compiled.Inputs, Outputs = compiled.Outputs };
        }
        catch (OnnxModelException e)
        {
            return inspection with { Error = e.Message };
        }
    }

    /// <summary>Inspects a model file; a missing or unreadable file is reported, not thrown.</summary>
    public static ModelInspection InspectFile(string path, OnnxSessionOptions? options = null)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new ModelInspection { IsOnnx = false, Error = $"Cannot read '{path}': {e.Message}" };
        }

        return Inspect(bytes, options);
    }
}

using System.CommandLine;
using System.Text.Json;
using Escala.Onnx.Inspection;

namespace Escala.Cli.Onnx;

/// <summary><c>escala onnx info MODEL.onnx [--json]</c>: signature, opsets, operators and whether each is supported.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .onnx file." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var command = new Command("info", "Show a model's signature, opsets and operators, and whether the engine can run it.");
        command.Arguments.Add(model);
        command.Options.Add(json);
        command.SetAction(parseResult => CommandFailure.Guard(parseResult, output =>
        {
            var file = parseResult.GetValue(model)!;
            var report = OnnxModelInspector.Inspect(CommandFailure.ReadFile(file, "model file"));
            if (!report.IsOnnx)
            {
                throw new CommandFailure(CommandFailure.ModelError, $"{file.Name}: {report.Error}");
            }

            if (parseResult.GetValue(json))
            {
                output.WriteLine(Json(file.Name, report));
            }
            else
            {
                Text(output, file.Name, report);
            }

            return 0;
        }));
        return command;
    }

    private static void Text(TextWriter output, string name, ModelInspection report)
    {
        output.WriteLine($"model:     {name}");
        output.WriteLine($"producer:  {(report.ProducerName + " " + report.ProducerVersion).Trim()} (IR version {report.IrVersion})");
        output.WriteLine($"opsets:    {string.Join(", ", report.Opsets.Select(o => $"{o.Key} {o.Value}"))}");
        output.WriteLine($"nodes:     {report.NodeCount} ({report.InitializerCount} initializers)");
        output.WriteLine("inputs:");
        foreach (var i in report.Inputs)
        {
            output.WriteLine($"  {i}");
        }

        output.WriteLine("outputs:");
        foreach (var o in report.Outputs)
        {
            output.WriteLine($"  {o}");
        }

        output.WriteLine("operators:");
        var width = report.Operators.Select(o => o.QualifiedName.Length).DefaultIfEmpty(0).Max();
        foreach (var op in report.Operators)
        {
            var status = op.Supported ? "supported" : $"NOT SUPPORTED: {op.Reason}";
            output.WriteLine($"  {op.QualifiedName.PadRight(width)}  x{op.NodeCount,-4} {status}");
        }

        output.WriteLine(report.CanRun ? "runnable:  yes" : $"runnable:  no: {report.Error}");
    }

    private static string Json(string name, ModelInspection report)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", name);
            w.WriteString("producer_name", report.ProducerName);
            w.WriteString("producer_version", report.ProducerVersion);
            w.WriteNumber("ir_version", report.IrVersion);
            w.WriteStartObject("opsets");
            foreach (var (domain, version) in report.Opsets)
            {
                w.WriteNumber(domain, version);
            }

            w.WriteEndObject();
            WriteValues(w, "inputs", report.Inputs);
            WriteValues(w, "outputs", report.Outputs);
            w.WriteStartArray("operators");
            foreach (var op in report.Operators)
            {
                w.WriteStartObject();
                w.WriteString("domain", op.Domain);
                w.WriteString("op_type", op.OpType);
                w.WriteNumber("opset", op.Opset);
                w.WriteNumber("nodes", op.NodeCount);
                w.WriteBoolean("supported", op.Supported);
                if (op.Reason is not null)
                {
                    w.WriteString("reason", op.Reason);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("node_count", report.NodeCount);
            w.WriteBoolean("runnable", report.CanRun);
            if (report.Error is not null)
            {
                w.WriteString("error", report.Error);
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteValues(Utf8JsonWriter w, string property, IReadOnlyList<Escala.Onnx.Tensors.OnnxValueInfo> values)
    {
        w.WriteStartArray(property);
        foreach (var v in values)
        {
            w.WriteStartObject();
            w.WriteString("name", v.Name);
            w.WriteString("type", v.Type.ToString());
            if (v.Type.Shape is { } shape)
            {
                w.WriteStartArray("shape");
                foreach (var d in shape)
                {
                    if (d.Value is { } size)
                    {
                        w.WriteNumberValue(size);
                    }
                    else if (d.Symbol is { } symbol)
                    {
                        w.WriteStringValue(symbol);
                    }
                    else
                    {
                        w.WriteNullValue();
                    }
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}

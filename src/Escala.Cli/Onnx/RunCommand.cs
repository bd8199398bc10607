using System.CommandLine;
using Escala.Onnx;
using Escala.Server.Protocol;

namespace Escala.Cli.Onnx;

/// <summary><c>escala onnx run MODEL.onnx --input REQ.json</c>: runs an Open Inference Protocol v2 request and prints the response body.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .onnx file." };
        var input = new Option<FileInfo>("--input") { Description = "An Open Inference Protocol v2 request body (JSON).", Required = true };
        var command = new Command("run", "Run a model on an Open Inference Protocol v2 request and print the v2 response.");
        command.Arguments.Add(model);
        command.Options.Add(input);
        command.SetAction(parseResult => CommandFailure.Guard(parseResult, output =>
        {
            var file = parseResult.GetValue(model)!;
            var modelBytes = CommandFailure.ReadFile(file, "model file");
            var requestBytes = CommandFailure.ReadFile(parseResult.GetValue(input)!, "request file");
            var session = InferenceSession.Load(modelBytes);
            var request = InferenceRequestReader.Read(requestBytes, session.Inputs);
            var results = session.Run(request.Inputs);
            var wanted = request.RequestedOutputs ?? [.. session.Outputs.Select(o => o.Name)];
            var outputs = new List<NamedValue>(wanted.Count);
            foreach (var name in wanted)
            {
                if (!results.TryGetValue(name, out var value))
                {
                    throw new CommandFailure(CommandFailure.UsageError, $"the request asks for output '{name}', which the model does not have (outputs: {string.Join(", ", session.Outputs.Select(o => o.Name))})");
                }

                outputs.Add(new NamedValue(name, value));
            }

            var body = InferenceResponseWriter.ToBytes(Path.GetFileNameWithoutExtension(file.Name), null, request.Id, outputs);
            output.WriteLine(System.Text.Encoding.UTF8.GetString(body));
            return 0;
        }));
        return command;
    }
}

using System.CommandLine;

// `escala`: each feature folder contributes one top-level command; this file only lists them.
var root = new RootCommand("Escala: take AI models from pilot to production across the organisation.");
root.Subcommands.Add(Escala.Cli.Onnx.OnnxCommand.Create());

return await root.Parse(args).InvokeAsync();

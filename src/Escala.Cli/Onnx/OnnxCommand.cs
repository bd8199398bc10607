using System.CommandLine;

namespace Escala.Cli.Onnx;

/// <summary><c>escala onnx</c>: inspect, run and benchmark ONNX models with the built-in engine, no server needed.</summary>
public static class OnnxCommand
{
    /// <summary>The <c>onnx</c> command with its <c>info</c>, <c>run</c> and <c>bench</c> subcommands.</summary>
    public static Command Create()
    {
        var command = new Command("onnx", "Inspect, run and benchmark ONNX models with the built-in engine.");
        command.Subcommands.Add(InfoCommand.Create());
        command.Subcommands.Add(RunCommand.Create());
        command.Subcommands.Add(BenchCommand.Create());
        return command;
    }
}

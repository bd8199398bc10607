using System.CommandLine;
using Escala.Onnx;
using Escala.Server.Protocol;

namespace Escala.Cli.Onnx;

/// <summary>A command cannot do its job; the message goes to stderr and the process exits with <see cref="ExitCode"/>.</summary>
internal sealed class CommandFailure(int exitCode, string message) : Exception(message)
{
    /// <summary>Exit status for a model that cannot be loaded or run.</summary>
    public const int ModelError = 1;

    /// <summary>Exit status for bad usage or bad input (a missing file, an invalid request).</summary>
    public const int UsageError = 2;

    public int ExitCode { get; } = exitCode;

    /// <summary>Runs a command body, turning expected failures into a one-line message and an exit status (never a stack trace).</summary>
    public static int Guard(ParseResult parseResult, Func<TextWriter, int> body)
    {
        // Node, input and output names come from the model file: printed through the safe writer like every CLI output.
        using var error = new Client.TerminalSafeWriter(parseResult.InvocationConfiguration.Error);
        using var output = new Client.TerminalSafeWriter(parseResult.InvocationConfiguration.Output);
        try
        {
            return body(output);
        }
        catch (CommandFailure e)
        {
            error.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (InferenceProtocolException e)
        {
            error.WriteLine($"error: invalid request: {e.Message}");
            return UsageError;
        }
        catch (OnnxInputException e)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageError;
        }
        catch (OnnxException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ModelError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageError;
        }
    }

    /// <summary>The bytes of a file the user named, or a usage failure saying it cannot be read.</summary>
    public static byte[] ReadFile(FileInfo file, string what)
    {
        if (!file.Exists)
        {
            throw new CommandFailure(UsageError, $"{what} not found: {file.FullName}");
        }

        return File.ReadAllBytes(file.FullName);
    }
}

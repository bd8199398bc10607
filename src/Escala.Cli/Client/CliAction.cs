using System.CommandLine;
using Spectre.Console;

namespace Escala.Cli.Client;

/// <summary>
/// Runs a command's body with the CLI's error policy: a <see cref="CliException"/> (or a file that
/// cannot be read) prints "error: ..." on stderr and exits 1; Ctrl+C exits 130; nothing prints a
/// stack trace. Output and errors pass <see cref="TerminalSafeWriter"/>.
/// </summary>
public static class CliAction
{
    /// <summary>Sets <paramref name="body"/> as the action of <paramref name="command"/>.</summary>
    public static Command Runs(this Command command, Func<CliContext, CancellationToken, Task> body)
    {
        command.SetAction(async (parse, ct) =>
        {
            var rawOutput = parse.InvocationConfiguration.Output;
            using var output = new TerminalSafeWriter(rawOutput);
            using var error = new TerminalSafeWriter(parse.InvocationConfiguration.Error);
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(output),
                // No ANSI codes at all: every byte printed passes the safe writer, which would escape Spectre's own.
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
            });
            if (!ReferenceEquals(rawOutput, Console.Out) || Console.IsOutputRedirected)
            {
                // Piped or captured output has no terminal width; wide rows stay on one line for grep and scripts.
                console.Profile.Width = 200;
            }

            using var context = new CliContext(parse, console, error);
            try
            {
                await body(context, ct);
                return 0;
            }
            catch (CliException e)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return CliException.ExitCode;
            }
            catch (Escala.Core.Problems.ProblemException e)
            {
                await error.WriteLineAsync($"error: {e.Detail}");
                return CliException.ExitCode;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return CliException.ExitCode;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await error.WriteLineAsync("cancelled");
                return 130;
            }
        });
        return command;
    }

}

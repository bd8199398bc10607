using System.CommandLine;
using Spectre.Console;

namespace Escala.Cli.Client;

/// <summary>
/// Runs a command's body with the CLI's error policy: a <see cref="CliException"/> (or a file that
/// cannot be read) prints "error: ..." on stderr and exits 1; Ctrl+C exits 130; nothing prints a
/// stack trace.
/// </summary>
public static class CliAction
{
    /// <summary>Sets <paramref name="body"/> as the action of <paramref name="command"/>.</summary>
    public static Command Runs(this Command command, Func<CliContext, CancellationToken, Task> body)
    {
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var colours = UsesColour(output);
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(output),
                Ansi = colours ? AnsiSupport.Detect : AnsiSupport.No,
                ColorSystem = colours ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            });
            if (!ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected)
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

    /// <summary>
    /// Colours and other escape codes only on a terminal, and never when <c>NO_COLOR</c> is set to anything
    /// (https://no-color.org): piped output stays plain text for files, grep and scripts.
    /// </summary>
    public static bool UsesColour(TextWriter output) =>
        ReferenceEquals(output, Console.Out)
        && !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}

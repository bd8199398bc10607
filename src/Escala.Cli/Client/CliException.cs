namespace Escala.Cli.Client;

/// <summary>A failure to report to the user as one clear line on stderr with a non-zero exit code; never a stack trace.</summary>
public sealed class CliException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The exit code for every reported failure.</summary>
    public const int ExitCode = 1;
}

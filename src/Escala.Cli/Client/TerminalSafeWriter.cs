using System.Text;
using Escala.Core.Naming;

namespace Escala.Cli.Client;

/// <summary>
/// Everything the CLI prints goes through this writer: control characters (an escape byte is a
/// terminal command) and bidirectional overrides in text that came from a server or a file are
/// written as visible <c>\uXXXX</c> escapes, so no value can move the cursor, retitle the window or
/// reorder what an operator reads. Line breaks and tabs pass. Tables are drawn without ANSI colour
/// codes for the same reason: the writer cannot tell Spectre's own escapes from a value's.
/// </summary>
public sealed class TerminalSafeWriter(TextWriter inner) : TextWriter
{
    /// <inheritdoc/>
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc/>
    public override void Write(char value)
    {
        if (TextSafety.IsUnsafe(value) && value is not '\n' and not '\t')
        {
            inner.Write(TextSafety.Neutralise(value.ToString()));
        }
        else
        {
            inner.Write(value);
        }
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        if (value is not null)
        {
            inner.Write(TextSafety.Neutralise(value, keepLineBreaks: true));
        }
    }

    /// <inheritdoc/>
    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    /// <inheritdoc/>
    public override void WriteLine(string? value)
    {
        Write(value);
        inner.WriteLine();
    }

    /// <inheritdoc/>
    public override void WriteLine() => inner.WriteLine();

    /// <inheritdoc/>
    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override void Flush() => inner.Flush();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        // The inner writer (stdout, stderr, a test's capture) belongs to the caller.
        if (disposing)
        {
            inner.Flush();
        }

        base.Dispose(disposing);
    }
}

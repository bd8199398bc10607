using System.Text;
using Escala.Core.Problems;

namespace Escala.Core.Monitoring.Baselines;

/// <summary>
/// Reads a reference table as CSV (RFC 4180): fields separated by commas, optionally in double quotes with
/// <c>""</c> for a quote, records ended by LF, CRLF or CR (inside quotes, newlines belong to the field). Tracks
/// the line each record starts on so every error names it. Empty lines are skipped. Streams: only the current
/// record is held. Malformed input throws an <c>invalid-baseline</c> problem naming the line.
/// </summary>
public sealed class ReferenceCsvReader(TextReader reader)
{
    /// <summary>The longest field accepted, in characters.</summary>
    public const int MaxFieldLength = 64 * 1024;

    /// <summary>The most fields a record may have.</summary>
    public const int MaxFields = 10_000;

    private readonly StringBuilder _field = new();
    private long _line = 1;
    private int _pending = -2;

    /// <summary>Reads the next record into <paramref name="fields"/> (cleared first); false at the end. <paramref name="line"/> is where it starts (1-based).</summary>
    public bool TryRead(List<string> fields, out long line)
    {
        ArgumentNullException.ThrowIfNull(fields);
        while (true)
        {
            fields.Clear();
            line = _line;
            var c = Next();
            if (c < 0)
            {
                return false;
            }

            if (c is '\n' or '\r')
            {
                // An empty line: skip it.
                EndOfLine(c);
                continue;
            }

            Unread(c);
            ReadRecord(fields, line);
            return true;
        }
    }

    private void ReadRecord(List<string> fields, long start)
    {
        while (true)
        {
            _field.Clear();
            var c = Next();
            if (c == '"')
            {
                ReadQuoted(start);
                c = Next();
                if (c >= 0 && c is not (',' or '\n' or '\r'))
                {
                    throw Problem(start, fields.Count + 1, $"text follows the closing quote ('{(char)c}'); a quoted field must end at a comma or the end of the line");
                }
            }
            else
            {
                while (c >= 0 && c is not (',' or '\n' or '\r'))
                {
                    if (c == '"')
                    {
                        throw Problem(start, fields.Count + 1, "a quote inside an unquoted field; quote the whole field and double the quote (\"\")");
                    }

                    Append((char)c, start, fields.Count + 1);
                    c = Next();
                }
            }

            if (fields.Count == MaxFields)
            {
                throw Problem(start, fields.Count + 1, $"more than {MaxFields:N0} fields");
            }

            fields.Add(_field.ToString());
            if (c == ',')
            {
                continue;
            }

            if (c >= 0)
            {
                EndOfLine(c);
            }

            return;
        }
    }

    private void ReadQuoted(long start)
    {
        while (true)
        {
            var c = Next();
            if (c < 0)
            {
                throw ProblemTypes.InvalidBaseline.With($"The baseline CSV, line {start}: a quoted field is never closed; every opening quote needs a closing one.");
            }

            if (c == '"')
            {
                var after = Next();
                if (after == '"')
                {
                    Append('"', start, 0);
                    continue;
                }

                Unread(after);
                return;
            }

            if (c == '\n' || (c == '\r' && Peek() != '\n'))
            {
                _line++;
            }

            Append((char)c, start, 0);
        }
    }

    private void Append(char c, long start, int column)
    {
        if (_field.Length == MaxFieldLength)
        {
            throw column > 0
                ? Problem(start, column, $"a field is longer than {MaxFieldLength:N0} characters")
                : ProblemTypes.InvalidBaseline.With($"The baseline CSV, line {start}: a quoted field is longer than {MaxFieldLength:N0} characters (is a quote missing?).");
        }

        _field.Append(c);
    }

    private void EndOfLine(int c)
    {
        if (c == '\r' && Peek() == '\n')
        {
            Next();
        }

        _line++;
    }

    private int Next()
    {
        if (_pending != -2)
        {
            var c = _pending;
            _pending = -2;
            return c;
        }

        return reader.Read();
    }

    private int Peek()
    {
        if (_pending == -2)
        {
            _pending = reader.Read();
        }

        return _pending;
    }

    private void Unread(int c) => _pending = c;

    private static ProblemException Problem(long line, int column, string what) =>
        ProblemTypes.InvalidBaseline.With($"The baseline CSV, line {line}, column {column}: {what}.");
}

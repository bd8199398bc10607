using System.Text;

namespace Escala.Cli.Batch;

/// <summary>
/// Reads RFC 4180 CSV one record at a time from a text stream: fields separated by commas, quoted
/// fields may hold commas, line breaks and doubled quotes, lines end with LF or CRLF. Only the
/// current record is held in memory.
/// </summary>
public sealed class CsvRecordReader(TextReader reader)
{
    private readonly StringBuilder _field = new();

    /// <summary>The 1-based line the last record started on.</summary>
    public long Line { get; private set; }

    private long _nextLine = 1;

    /// <summary>The next record's fields, or null at the end of the input. Throws <see cref="FormatException"/> for an unclosed quote.</summary>
    public List<string>? Read()
    {
        var first = reader.Peek();
        if (first < 0)
        {
            return null;
        }

        Line = _nextLine;
        var fields = new List<string>();
        _field.Clear();
        var quoted = false;
        var wasQuoted = false;
        while (true)
        {
            var c = reader.Read();
            if (c < 0)
            {
                if (quoted)
                {
                    throw new FormatException($"Line {Line}: a quoted field is not closed before the end of the file.");
                }

                fields.Add(_field.ToString());
                return fields;
            }

            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        _nextLine++;
                    }

                    _field.Append((char)c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when _field.Length == 0 && !wasQuoted:
                    quoted = true;
                    wasQuoted = true;
                    break;
                case ',':
                    fields.Add(_field.ToString());
                    _field.Clear();
                    wasQuoted = false;
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\n':
                    _nextLine++;
                    fields.Add(_field.ToString());
                    return fields;
                default:
                    _field.Append((char)c);
                    break;
            }

            if (_field.Length > 1 << 20)
            {
                throw new FormatException($"Line {Line}: a field is longer than 1 MB; is the file CSV?");
            }
        }
    }
}

/// <summary>Writes RFC 4180 CSV: a field is quoted when it holds a comma, a quote or a line break; quotes are doubled.</summary>
public sealed class CsvRecordWriter(TextWriter writer)
{
    private bool _first = true;

    /// <summary>Writes one field of the current record.</summary>
    public void Field(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!_first)
        {
            writer.Write(',');
        }

        _first = false;
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(value);
            return;
        }

        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }

    /// <summary>Ends the current record.</summary>
    public void EndRecord()
    {
        writer.Write('\n');
        _first = true;
    }
}

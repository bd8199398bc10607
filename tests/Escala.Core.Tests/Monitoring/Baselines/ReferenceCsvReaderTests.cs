using Escala.Core.Monitoring.Baselines;
using Escala.Core.Problems;

namespace Escala.Core.Tests.Monitoring.Baselines;

public sealed class ReferenceCsvReaderTests
{
    private static List<(List<string> Fields, long Line)> ReadAll(string text)
    {
        var reader = new ReferenceCsvReader(new StringReader(text));
        var records = new List<(List<string>, long)>();
        var fields = new List<string>();
        while (reader.TryRead(fields, out var line))
        {
            records.Add(([.. fields], line));
        }

        return records;
    }

    [Fact]
    public void Quoted_fields_keep_commas_quotes_and_newlines_and_lines_are_counted_through_them()
    {
        var records = ReadAll("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",3\r\n\n4,\n");

        Assert.Equal(["a", "b"], records[0].Fields);
        Assert.Equal(["x, y", "say \"hi\""], records[1].Fields);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(["two\nlines", "3"], records[2].Fields);
        Assert.Equal(3, records[2].Line);
        Assert.Equal(["4", ""], records[3].Fields);
        Assert.Equal(6, records[3].Line);
        Assert.Equal(4, records.Count);
    }

    [Theory]
    [InlineData("a,b\n1,\"2\n", "line 2: a quoted field is never closed")]
    [InlineData("a,b\n1,\"2\"x\n", "line 2, column 2: text follows the closing quote")]
    [InlineData("a,b\n1,2\n3,4\"5\n", "line 3, column 2: a quote inside an unquoted field")]
    public void Malformed_csv_is_refused_naming_the_line_and_column(string text, string expected)
    {
        var problem = Assert.Throws<ProblemException>(() => ReadAll(text));
        Assert.Equal(ProblemTypes.InvalidBaseline, problem.Type);
        Assert.Contains(expected, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_overlong_field_is_refused_instead_of_filling_memory()
    {
        var problem = Assert.Throws<ProblemException>(() => ReadAll("a\n" + new string('x', ReferenceCsvReader.MaxFieldLength + 1) + "\n"));
        Assert.Contains("line 2, column 1: a field is longer than", problem.Detail, StringComparison.Ordinal);
    }
}

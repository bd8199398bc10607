using Escala.Training.Datasets;

namespace Escala.Training.Tests.Datasets;

public sealed class CsvSchemaTests
{
    [Fact]
    public void Numbers_are_numeric_and_anything_else_is_categorical()
    {
        var schema = CsvSchema.Read(new StringReader("age,city,score\n30,Paris,0.5\n41,Lyon,\n22,Paris,1e3\n"));
        Assert.Equal(3, schema.Rows);
        Assert.Equal([ColumnKind.Numeric, ColumnKind.Categorical, ColumnKind.Numeric], schema.Columns.Select(c => c.Kind));
        Assert.Equal(["Lyon", "Paris"], schema.Find("city")!.Values);
    }

    [Theory]
    [InlineData("", "line 1")]
    [InlineData("a,a\n1,2\n", "appears twice")]
    [InlineData("a,b\n1,2\n3\n", "line 3: 1 fields")]
    [InlineData("a,b\n\"1,2\",3\n", "line 2: quoted")]
    [InlineData("a,b\n", "no rows")]
    public void Malformed_files_are_refused_with_the_line(string csv, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => CsvSchema.Read(new StringReader(csv)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}

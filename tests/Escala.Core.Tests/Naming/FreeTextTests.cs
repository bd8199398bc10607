using Escala.Core.Naming;
using Escala.Core.Problems;

namespace Escala.Core.Tests.Naming;

public sealed class FreeTextTests
{
    [Fact]
    public void Optional_Blank_IsNull() => Assert.Null(FreeText.Optional("description", "   ", 10));

    [Fact]
    public void Optional_Text_IsTrimmed() => Assert.Equal("hello", FreeText.Optional("description", "  hello ", 10));

    [Fact]
    public void Optional_TooLong_NamesFieldAndLimit()
    {
        var e = Assert.Throws<ProblemException>(() => FreeText.Optional("champion", "abcdefghijk", 10));
        Assert.Equal(ProblemTypes.ValidationFailed, e.Type);
        Assert.Contains("champion", e.Detail, StringComparison.Ordinal);
        Assert.Contains("at most 10", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Optional_ControlCharacter_IsRefused()
    {
        var e = Assert.Throws<ProblemException>(() => FreeText.Optional("comment", "ok\u0007bell", 100));
        Assert.Contains("U+0007", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Optional_LineBreaks_OnlyWhereMultiline()
    {
        Assert.Equal("line1\nline2", FreeText.Optional("card", "line1\nline2", 100, multiline: true));
        Assert.Throws<ProblemException>(() => FreeText.Optional("name", "line1\nline2", 100));
    }

    [Fact]
    public void Required_Missing_IsRefused() =>
        Assert.Contains("is required", Assert.Throws<ProblemException>(() => FreeText.Required("card", null, 10)).Detail, StringComparison.Ordinal);
}

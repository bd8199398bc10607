using Escala.Core.Naming;
using Escala.Core.Problems;

namespace Escala.Core.Tests.Naming;

public sealed class ResourceNameTests
{
    [Theory]
    [InlineData("credit-risk")]
    [InlineData("a")]
    [InlineData("Model_2.onnx")]
    [InlineData("risk.v2-final_3")]
    [InlineData("0abc")]
    public void IsValid_OrdinaryNames_True(string name) => Assert.True(ResourceName.IsValid(name));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("..", "start with a letter or digit")]
    [InlineData("a..b", "'..'")]
    [InlineData("../etc/passwd", "start with a letter or digit")]
    [InlineData("a/b", "'/'")]
    [InlineData("a\\b", "'\\'")]
    [InlineData("a b", "' '")]
    [InlineData("a\u0000b", "control character")]
    [InlineData("a\nb", "control character")]
    [InlineData("-leading", "start with a letter or digit")]
    [InlineData("crédit", "'é'")]
    [InlineData("a%2Fb", "'%'")]
    public void Explain_ForbiddenNames_SaysWhy(string name, string reason) =>
        Assert.Contains(reason, ResourceName.Explain(name), StringComparison.Ordinal);

    [Fact]
    public void Explain_65Characters_TooLong()
    {
        Assert.True(ResourceName.IsValid(new string('a', 64)));
        Assert.Contains("65 characters", ResourceName.Explain(new string('a', 65)), StringComparison.Ordinal);
    }

    [Fact]
    public void Require_InvalidName_ThrowsInvalidNameNamingTheKindAndTheRule()
    {
        var e = Assert.Throws<ProblemException>(() => ResourceName.Require("model", "../x"));
        Assert.Equal(ProblemTypes.InvalidName, e.Type);
        Assert.Contains("model name '../x'", e.Detail, StringComparison.Ordinal);
        Assert.Contains("letters, digits", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Printable_ControlCharacters_AreEscapedAndLengthBounded()
    {
        Assert.Equal("a\\u001bb", ResourceName.Printable("a\u001bb"));
        Assert.Equal(83, ResourceName.Printable(new string('x', 500)).Length);
    }
}

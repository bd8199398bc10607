using Escala.Core.Access;

namespace Escala.Core.Tests.Access;

public sealed class ApiKeySecretTests
{
    [Fact]
    public void Generate_KeyCarriesItsIdAndMatchesOnlyItsHash()
    {
        var (id, plaintext, hash) = ApiKeySecret.Generate();
        Assert.StartsWith($"esk_{id}_", plaintext, StringComparison.Ordinal);
        Assert.Equal(16, id.Length);
        Assert.Equal(id, ApiKeySecret.IdOf(plaintext));
        Assert.True(ApiKeySecret.Matches(plaintext, hash));
        Assert.False(ApiKeySecret.Matches(plaintext + "x", hash));
        Assert.DoesNotContain(plaintext[(5 + id.Length)..], hash, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_TwoKeys_Differ()
    {
        var a = ApiKeySecret.Generate();
        var b = ApiKeySecret.Generate();
        Assert.NotEqual(a.Id, b.Id);
        Assert.NotEqual(a.Plaintext, b.Plaintext);
        Assert.False(ApiKeySecret.Matches(a.Plaintext, b.Hash));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer something")]
    [InlineData("esk_")]
    [InlineData("esk_0123456789abcdef")]
    [InlineData("esk_0123456789abcdef_")]
    [InlineData("esk_0123456789ABCDEF_secret")]
    [InlineData("esk_short_secret")]
    public void IdOf_MalformedKeys_Null(string? presented) => Assert.Null(ApiKeySecret.IdOf(presented));
}

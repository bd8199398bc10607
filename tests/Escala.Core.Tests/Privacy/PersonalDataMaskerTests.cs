using System.Text;
using Escala.Core.PredictionLog;
using Escala.Core.Privacy;
using Escala.Core.Problems;

namespace Escala.Core.Tests.Privacy;

public sealed class PersonalDataMaskerTests
{
    private static readonly PersonalDataMasker Masker = new(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

    private static readonly PrivacyPolicy Policy = PrivacyPolicy.From(
        new Dictionary<string, string> { ["email"] = "hash", ["name"] = "drop", ["phone"] = "mask:2:2", ["age"] = "keep" }, null);

    [Fact]
    public void Records_fields_are_hashed_dropped_masked_or_kept()
    {
        var json = """[{"email":"a@b.org","name":"Ann","phone":"0612345678","age":41,"x":[1,2]}]""";

        var logged = Encoding.UTF8.GetString(Masker.ApplyToInputs(Encoding.UTF8.GetBytes(json), Policy).Span);

        Assert.Equal($$"""[{"email":"{{Masker.Hash("a@b.org")}}","phone":"06****78","age":41,"x":[1,2]}]""", logged);
    }

    [Fact]
    public void Oip_inputs_are_treated_by_name_and_the_subject_is_hashed()
    {
        var json = """{"inputs":[{"name":"email","datatype":"BYTES","shape":[2],"data":["a@b.org","c@d.org"]},{"name":"name","datatype":"BYTES","shape":[1],"data":["Ann"]}]}""";
        var record = new PredictionRecord("r", DateTimeOffset.UnixEpoch, "e", "m:1", null, "alice", PredictionKind.Served, "routed", null, Encoding.UTF8.GetBytes(json), default, 1);

        var applied = Masker.Apply(record, Policy);
        var logged = Encoding.UTF8.GetString(applied.Inputs.Span);

        Assert.Equal(Masker.Hash("alice"), applied.Subject);
        Assert.Contains(Masker.Hash("c@d.org"), logged, StringComparison.Ordinal);
        Assert.DoesNotContain("Ann", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("a@b.org", logged, StringComparison.Ordinal);
    }

    [Fact]
    public void Hashes_are_keyed_stable_and_short_values_are_mostly_masked()
    {
        var other = new PersonalDataMasker(new byte[32]);

        Assert.Equal(Masker.Hash("x"), Masker.Hash("x"));
        Assert.NotEqual(Masker.Hash("x"), other.Hash("x"));
        var logged = Encoding.UTF8.GetString(Masker.ApplyToInputs("""{"phone":"123"}"""u8.ToArray(), Policy).Span);
        Assert.Equal("""{"phone":"1****"}""", logged);
        Assert.Equal("null", Encoding.UTF8.GetString(Masker.ApplyToInputs("{not json"u8.ToArray(), Policy).Span));
    }

    [Theory]
    [InlineData("encrypt")]
    [InlineData("mask:1")]
    [InlineData("mask:a:b")]
    [InlineData("hash:2")]
    public void Unknown_policies_are_refused(string text)
    {
        var e = Assert.Throws<ProblemException>(() => PrivacyPolicy.From(new Dictionary<string, string> { ["f"] = text }, null));
        Assert.Equal(ProblemTypes.ValidationFailed, e.Type);
    }
}

using System.Text.Json;
using Escala.Core.Problems;
using Escala.Core.Registry;

namespace Escala.Core.Tests.Registry;

public sealed class VersionMetadataTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public void Metrics_NumbersByName_AreKeptSorted()
    {
        var metrics = VersionMetadata.Metrics(Json("""{"f1": 0.7, "auc": 0.81, "rows": 1000}"""));
        Assert.Equal(["auc", "f1", "rows"], metrics.Keys);
        Assert.Equal(0.81, metrics["auc"]);
    }

    [Theory]
    [InlineData("""{"auc": "0.8"}""", "must be a finite number")]
    [InlineData("""{"confusion": [[1,2],[3,4]]}""", "must be a finite number")]
    [InlineData("""[0.8]""", "must be a JSON object")]
    [InlineData("""{"bad name": 1}""", "metric name")]
    [InlineData("""{"x": 1e400}""", "must be a finite number")]
    public void Metrics_NonNumbers_AreRefusedWithTheReason(string json, string reason)
    {
        var e = Assert.Throws<ProblemException>(() => VersionMetadata.Metrics(Json(json)));
        Assert.Contains(reason, e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_NullOrAbsent_IsEmpty()
    {
        Assert.Empty(VersionMetadata.Metrics(null));
        Assert.Empty(VersionMetadata.Metrics(Json("null")));
    }

    [Fact]
    public void Params_Scalars_BecomeText()
    {
        var p = VersionMetadata.Params(Json("""{"C": 1.5, "penalty": "l2", "fit_intercept": true}"""));
        Assert.Equal("1.5", p["C"]);
        Assert.Equal("l2", p["penalty"]);
        Assert.Equal("true", p["fit_intercept"]);
        Assert.Throws<ProblemException>(() => VersionMetadata.Params(Json("""{"grid": {"C": [1, 2]}}""")));
    }

    [Fact]
    public void Tags_KeysFollowTheNameRule()
    {
        Assert.Equal("risk", VersionMetadata.Tags(new Dictionary<string, string> { ["team"] = "risk" })["team"]);
        Assert.Equal(ProblemTypes.InvalidName,
            Assert.Throws<ProblemException>(() => VersionMetadata.Tags(new Dictionary<string, string> { ["../team"] = "x" })).Type);
        Assert.Throws<ProblemException>(() => VersionMetadata.Tags(new Dictionary<string, string> { ["team"] = "a\u0000b" }));
    }

    [Fact]
    public void ParseTag_KeyEqualsValue()
    {
        Assert.Equal(new KeyValuePair<string, string>("team", "a=b"), VersionMetadata.ParseTag("team=a=b"));
        Assert.Throws<ProblemException>(() => VersionMetadata.ParseTag("novalue"));
        Assert.Throws<ProblemException>(() => VersionMetadata.ParseTag("=x"));
    }

    [Theory]
    [InlineData("credit-risk:3", "credit-risk", 3)]
    [InlineData("7", "default-model", 7)]
    public void VersionRef_Parse(string text, string model, int version) =>
        Assert.Equal(new VersionRef(model, version), VersionRef.Parse(text, "default-model"));

    [Theory]
    [InlineData("credit-risk:0")]
    [InlineData("credit-risk:x")]
    [InlineData("../x:1")]
    [InlineData("3")]
    public void VersionRef_ParseInvalid_IsRefused(string text) => Assert.Throws<ProblemException>(() => VersionRef.Parse(text));
}

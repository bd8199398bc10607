using Escala.Core.Monitoring.Baselines;

namespace Escala.Core.Tests.Monitoring.Baselines;

public sealed class BaselineProfileTests
{
    private static readonly HashSet<string> Markers = ["?", "NA"];

    [Fact]
    public void Build_profiles_numeric_and_categorical_columns_from_csv_fields()
    {
        var builder = new BaselineBuilder(["age", "job"]);
        string[][] rows = [["39", "clerk"], ["50", "manager"], ["?", "clerk"], ["28", "NA"], ["61", "clerk"]];
        foreach (var row in rows)
        {
            builder.Add([FeatureValue.Parse(row[0], Markers), FeatureValue.Parse(row[1], Markers)], FeatureValue.Parse("1"));
        }

        var profile = builder.Build();
        var age = profile.Features[0];
        Assert.Equal(FeatureKind.Numeric, age.Kind);
        Assert.Equal(0.2, age.MissingRate, 1e-12);
        Assert.Equal(28, age.Numeric!.Min);
        Assert.Equal(61, age.Numeric.Max);
        Assert.Equal(44.5, age.Numeric.Mean, 1e-12);

        // Sample standard deviation of 28, 39, 50, 61: sqrt(((16.5² + 5.5²)·2)/3) = sqrt(605/3).
        Assert.Equal(Math.Sqrt(605.0 / 3), age.Numeric.StdDev, 1e-12);
        Assert.Equal(4, age.Numeric.Counts.Sum());

        var job = profile.Features[1];
        Assert.Equal(FeatureKind.Categorical, job.Kind);
        Assert.Equal(["clerk", "manager"], job.Categorical!.Categories);
        Assert.Equal([3L, 1L], job.Categorical.Counts);
        Assert.Equal(1, job.Missing);
        Assert.NotNull(profile.Prediction);
    }

    [Fact]
    public void Quantile_edges_sit_on_observed_values_so_each_integer_gets_its_own_bin()
    {
        var profile = Samples.Baseline("day", [.. Enumerable.Range(0, 700).Select(i => (double)(1 + (i % 7)))]);
        var numeric = profile.Features[0].Numeric!;

        Assert.Equal([1.0, 2, 3, 4, 5, 6, 7], numeric.Edges);
        Assert.Equal([100L, 100, 100, 100, 100, 100, 100, 0], numeric.Counts);
    }

    [Fact]
    public void High_cardinality_keeps_the_most_frequent_categories_and_an_other_bucket()
    {
        var builder = new BaselineBuilder(["city"], new BaselineOptions { MaxCategories = 3 });
        foreach (var (city, times) in new[] { ("a", 50), ("b", 30), ("c", 10), ("d", 5), ("e", 5) })
        {
            for (var i = 0; i < times; i++)
            {
                builder.Add([FeatureValue.Of(city)]);
            }
        }

        var categorical = builder.Build().Features[0].Categorical!;
        Assert.Equal(["a", "b"], categorical.Categories);
        Assert.Equal(20, categorical.OtherCount);
        Assert.True(categorical.Truncated);
    }

    [Fact]
    public void Json_round_trip_keeps_every_number()
    {
        var (profile, _) = Drift.DriftDetectorTests.Build(2_000, 0, seed: 7);
        var copy = BaselineProfile.FromJson(profile.ToJson());

        Assert.Equal(profile.ToJson(), copy.ToJson());
        Assert.Equal(profile.Features[0].Numeric!.Edges, copy.Features[0].Numeric!.Edges);
        Assert.Equal(profile.Features[1].Categorical!.Categories, copy.Features[1].Categorical!.Categories);
        Assert.Equal(1, copy.IndexOf("colour"));
        Assert.Equal(-1, copy.IndexOf("nope"));
    }

    [Theory]
    [InlineData("{not json", "malformed")]
    [InlineData("null", "null")]
    [InlineData("""{"format":9,"rowCount":1,"features":[],"prediction":null}""", "format 9")]
    [InlineData("""{"format":1,"rowCount":1,"features":[{"name":"x","kind":"numeric","count":1,"missing":0,"numeric":{"min":0,"max":1,"mean":0,"stdDev":0,"edges":[1,0],"counts":[1,0,0],"binMeans":[0,0,0]}}],"prediction":null}""", "strictly increasing")]
    [InlineData("""{"format":1,"rowCount":1,"features":[{"name":"x","kind":"numeric","count":1,"missing":0,"numeric":{"min":0,"max":1,"mean":0,"stdDev":0,"edges":[1],"counts":[1],"binMeans":[0]}}],"prediction":null}""", "need 2 counts")]
    [InlineData("""{"format":1,"rowCount":1,"features":[{"name":"x","kind":"categorical","count":1,"missing":0,"categorical":{"categories":["a","a"],"counts":[1,1],"otherCount":0,"truncated":false}}],"prediction":null}""", "repeated")]
    public void Malformed_json_is_refused_with_a_message_saying_what_is_wrong(string json, string expected)
    {
        var error = Assert.Throws<BaselineException>(() => BaselineProfile.FromJson(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_declared_numeric_column_holding_text_is_refused_naming_the_column()
    {
        var builder = new BaselineBuilder(["age"], new BaselineOptions { Kinds = new Dictionary<string, FeatureKind> { ["age"] = FeatureKind.Numeric } });
        builder.Add([FeatureValue.Parse("12")]);
        builder.Add([FeatureValue.Parse("twelve")]);

        var error = Assert.Throws<BaselineException>(builder.Build);
        Assert.Contains("'age'", error.Message, StringComparison.Ordinal);
        Assert.Contains("twelve", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_reference_and_bad_rows_are_refused()
    {
        Assert.Throws<BaselineException>(new BaselineBuilder(["x"]).Build);
        Assert.Throws<ArgumentException>(() => new BaselineBuilder(["x", "x"]));
        Assert.Throws<ArgumentException>(() => new BaselineBuilder(["x"]).Add([FeatureValue.Of(1), FeatureValue.Of(2)]));
    }

    [Fact]
    public void A_first_n_predictions_baseline_stops_at_max_rows()
    {
        var builder = new BaselineBuilder(["x"], new BaselineOptions { MaxRows = 10 });
        for (var i = 0; i < 25; i++)
        {
            builder.Add([FeatureValue.Of(i)]);
        }

        Assert.True(builder.IsFull);
        Assert.Equal(10, builder.Build().RowCount);
    }

    [Fact]
    public void Infinite_reference_values_count_as_missing_so_the_profile_still_serialises()
    {
        var builder = new BaselineBuilder(["x"]);
        foreach (var v in new[] { 1.0, double.PositiveInfinity, 3.0, double.NegativeInfinity })
        {
            builder.Add([FeatureValue.Of(v)]);
        }

        var profile = BaselineProfile.FromJson(builder.Build().ToJson());
        Assert.Equal(2, profile.Features[0].Missing);
        Assert.Equal(2.0, profile.Features[0].Numeric!.Mean, 1e-12);
    }
}

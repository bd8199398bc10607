using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Quality;

namespace Escala.Core.Tests.Monitoring.Quality;

public sealed class DataQualityCheckTests
{
    private static readonly BaselineProfile Baseline = Build();

    [Fact]
    public void A_row_like_the_reference_has_no_issue()
    {
        var check = new DataQualityCheck(Baseline);
        Assert.True(check.IsValid([FeatureValue.Of(40), FeatureValue.Of("clerk"), FeatureValue.Of(3)]));
    }

    [Theory]
    [InlineData(0, QualityProblem.WrongType)]
    [InlineData(1, QualityProblem.OutOfRange)]
    [InlineData(2, QualityProblem.Missing)]
    [InlineData(3, QualityProblem.UnseenCategory)]
    [InlineData(4, QualityProblem.OutOfRange)]
    public void Each_problem_names_the_field(int @case, QualityProblem expected)
    {
        FeatureValue[] row = @case switch
        {
            0 => [FeatureValue.Of("forty"), FeatureValue.Of("clerk"), FeatureValue.Of(3)],
            1 => [FeatureValue.Of(200), FeatureValue.Of("clerk"), FeatureValue.Of(3)],
            2 => [FeatureValue.Missing, FeatureValue.Of("clerk"), FeatureValue.Of(3)],
            3 => [FeatureValue.Of(40), FeatureValue.Of("astronaut"), FeatureValue.Of(3)],
            _ => [FeatureValue.Of(double.PositiveInfinity), FeatureValue.Of("clerk"), FeatureValue.Of(3)],
        };
        var issues = new QualityIssue[4];

        var found = new DataQualityCheck(Baseline).Check(row, issues);

        Assert.Equal(1, found);
        Assert.Equal(expected, issues[0].Problem);
        var field = @case == 3 ? "job" : "age";
        Assert.Equal(field, issues[0].Feature);
        Assert.Contains($"'{field}'", issues[0].Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_range_tolerance_widens_the_seen_range_by_a_fraction_of_it()
    {
        // Seen age range [20, 60]; tolerance 10% of 40 = 4 on each side: [16, 64].
        var check = new DataQualityCheck(Baseline);
        Assert.True(check.IsValid([FeatureValue.Of(63.9), FeatureValue.Of("clerk"), FeatureValue.Of(3)]));
        Assert.False(check.IsValid([FeatureValue.Of(64.1), FeatureValue.Of("clerk"), FeatureValue.Of(3)]));
        Assert.True(check.IsValid([FeatureValue.Of(16), FeatureValue.Of("clerk"), FeatureValue.Of(3)]));
        Assert.False(check.IsValid([FeatureValue.Of(15.9), FeatureValue.Of("clerk"), FeatureValue.Of(3)]));
        Assert.True(new DataQualityCheck(Baseline, new QualityOptions { RangeTolerance = 1 }).IsValid([FeatureValue.Of(99), FeatureValue.Of("clerk"), FeatureValue.Of(3)]));
    }

    [Fact]
    public void Integer_coded_categories_match_numbers_and_missing_is_fine_where_the_baseline_had_gaps()
    {
        var check = new DataQualityCheck(Baseline);

        // "grade" was seen as the text "3"; the number 3 matches it. "job" had missing values in the reference.
        Assert.True(check.IsValid([FeatureValue.Of(30), FeatureValue.Missing, FeatureValue.Of(3)]));
        Assert.False(check.IsValid([FeatureValue.Of(30), FeatureValue.Of("clerk"), FeatureValue.Of(4)]));
    }

    [Fact]
    public void Every_issue_is_counted_even_when_the_span_is_short()
    {
        var issues = new QualityIssue[1];
        var found = new DataQualityCheck(Baseline).Check([FeatureValue.Of("x"), FeatureValue.Of("astronaut"), FeatureValue.Of(9)], issues);

        Assert.Equal(3, found);
        Assert.Equal("age", issues[0].Feature);
    }

    [Fact]
    public void A_row_of_the_wrong_length_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => new DataQualityCheck(Baseline).IsValid([FeatureValue.Of(1)]));
    }

    [Fact]
    public void Checking_a_valid_row_allocates_nothing()
    {
        var check = new DataQualityCheck(Baseline);
        FeatureValue[] row = [FeatureValue.Of(40), FeatureValue.Of("clerk"), FeatureValue.Of(3)];
        var issues = new QualityIssue[4];
        check.Check(row, issues);

        var allocated = Allocations.BestOf(3, () =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                check.Check(row, issues);
            }
        });

        Assert.Equal(0, allocated);
    }

    private static BaselineProfile Build()
    {
        var builder = new BaselineBuilder(["age", "job", "grade"], new BaselineOptions
        {
            Kinds = new Dictionary<string, FeatureKind> { ["grade"] = FeatureKind.Categorical },
        });
        string[] jobs = ["clerk", "manager", "?"];
        for (var i = 0; i <= 40; i++)
        {
            builder.Add([FeatureValue.Of(20 + i), FeatureValue.Parse(jobs[i % 3], new HashSet<string> { "?" }), FeatureValue.Of((i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture) == "0" ? "3" : "2")]);
        }

        return builder.Build();
    }
}

using Escala.Core.Problems;
using Escala.Core.Registry;

namespace Escala.Core.Tests.Registry;

public sealed class StageTransitionsTests
{
    // Every pair, written out: the table is the specification.
    public static TheoryData<Stage, Stage, bool> Table => new()
    {
        { Stage.None, Stage.None, false },
        { Stage.None, Stage.Staging, true },
        { Stage.None, Stage.Production, false },
        { Stage.None, Stage.Archived, true },
        { Stage.Staging, Stage.None, true },
        { Stage.Staging, Stage.Staging, false },
        { Stage.Staging, Stage.Production, true },
        { Stage.Staging, Stage.Archived, true },
        { Stage.Production, Stage.None, false },
        { Stage.Production, Stage.Staging, true },
        { Stage.Production, Stage.Production, false },
        { Stage.Production, Stage.Archived, true },
        { Stage.Archived, Stage.None, false },
        { Stage.Archived, Stage.Staging, true },
        { Stage.Archived, Stage.Production, false },
        { Stage.Archived, Stage.Archived, false },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void IsLegal_MatchesTheTable(Stage from, Stage to, bool legal) => Assert.Equal(legal, StageTransitions.IsLegal(from, to));

    [Fact]
    public void Require_NoneToProduction_ListsWhereItCanGo()
    {
        var e = Assert.Throws<ProblemException>(() => StageTransitions.Require("m:1", Stage.None, Stage.Production));
        Assert.Equal(ProblemTypes.IllegalStageTransition, e.Type);
        Assert.Contains("from none it can move to staging, archived", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Require_SameStage_SaysItIsAlreadyThere() =>
        Assert.Contains("already in staging",
            Assert.Throws<ProblemException>(() => StageTransitions.Require("m:1", Stage.Staging, Stage.Staging)).Detail, StringComparison.Ordinal);

    [Theory]
    [InlineData("Production", Stage.Production)]
    [InlineData("staging", Stage.Staging)]
    public void Parse_KnownNames(string name, Stage stage) => Assert.Equal(stage, StageTransitions.Parse(name));

    [Theory]
    [InlineData("prod")]
    [InlineData("2")]
    [InlineData("")]
    public void Parse_UnknownNames_AreRefused(string name) =>
        Assert.Equal(ProblemTypes.ValidationFailed, Assert.Throws<ProblemException>(() => StageTransitions.Parse(name)).Type);
}

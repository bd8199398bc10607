using Escala.Core.Problems;

namespace Escala.Core.Registry;

/// <summary>
/// The legal stage changes: none -> staging; staging -> production; production -> archived or back
/// to staging; archived -> staging (restore). Every stage may also go to archived, and staging may
/// go back to none. Anything else (e.g. none -> production, skipping staging) is refused.
/// </summary>
public static class StageTransitions
{
    /// <summary>True when a version may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool IsLegal(Stage from, Stage to) => (from, to) switch
    {
        (Stage.None, Stage.Staging) => true,
        (Stage.None, Stage.Archived) => true,
        (Stage.Staging, Stage.None) => true,
        (Stage.Staging, Stage.Production) => true,
        (Stage.Staging, Stage.Archived) => true,
        (Stage.Production, Stage.Staging) => true,
        (Stage.Production, Stage.Archived) => true,
        (Stage.Archived, Stage.Staging) => true,
        _ => false,
    };

    /// <summary>The stages a version in <paramref name="from"/> may move to.</summary>
    public static IEnumerable<Stage> From(Stage from) =>
        Enum.GetValues<Stage>().Where(to => IsLegal(from, to));

    /// <summary>Throws an illegal-stage-transition problem that lists the legal targets.</summary>
    public static void Require(string subject, Stage from, Stage to)
    {
        if (IsLegal(from, to))
        {
            return;
        }

        var legal = string.Join(", ", From(from).Select(ToName));
        throw ProblemTypes.IllegalStageTransition.With(
            from == to
                ? $"{subject} is already in {ToName(to)}."
                : $"{subject} cannot move from {ToName(from)} to {ToName(to)}; from {ToName(from)} it can move to {legal}.");
    }

    /// <summary>The lower-case name of a stage.</summary>
    public static string ToName(Stage stage) => stage.ToString().ToLowerInvariant();

    /// <summary>Parses a stage name (case-insensitive); throws a validation problem listing the names.</summary>
    public static Stage Parse(string? name)
    {
        foreach (var stage in Enum.GetValues<Stage>())
        {
            if (string.Equals(ToName(stage), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return stage;
            }
        }

        throw ProblemTypes.ValidationFailed.With(
            $"'{Naming.ResourceName.Printable(name)}' is not a stage; use none, staging, production or archived.");
    }
}

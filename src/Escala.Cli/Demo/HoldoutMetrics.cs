namespace Escala.Cli.Demo;

/// <summary>How well predicted default probabilities match outcomes on data the model never saw.</summary>
public sealed record HoldoutMetrics(double Auc, double LogLoss, double Accuracy, double Brier, double DefaultRate)
{
    /// <summary>The metrics of <paramref name="probabilities"/> against <paramref name="outcomes"/>.</summary>
    public static HoldoutMetrics Compute(double[] probabilities, bool[] outcomes)
    {
        var n = outcomes.Length;
        double logLoss = 0, brier = 0;
        var correct = 0;
        for (var i = 0; i < n; i++)
        {
            var p = Math.Clamp(probabilities[i], 1e-15, 1 - 1e-15);
            var y = outcomes[i] ? 1.0 : 0.0;
            logLoss -= (y * Math.Log(p)) + ((1 - y) * Math.Log(1 - p));
            brier += (p - y) * (p - y);
            correct += (p >= 0.5) == outcomes[i] ? 1 : 0;
        }

        return new HoldoutMetrics(RocAuc(probabilities, outcomes), logLoss / n, correct / (double)n, brier / n, outcomes.Count(o => o) / (double)n);
    }

    // ROC AUC as the Mann-Whitney statistic, with tied scores sharing their average rank.
    private static double RocAuc(double[] scores, bool[] outcomes)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        double positiveRankSum = 0;
        var positives = 0;
        var i = 0;
        while (i < order.Length)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            var averageRank = ((i + j) / 2.0) + 1;
            for (var k = i; k <= j; k++)
            {
                if (outcomes[order[k]])
                {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }

            i = j + 1;
        }

        var negatives = scores.Length - positives;
        return positives == 0 || negatives == 0
            ? double.NaN
            : (positiveRankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }
}

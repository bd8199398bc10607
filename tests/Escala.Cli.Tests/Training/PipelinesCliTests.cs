using Escala.Cli.Tests.Support;
using Escala.Testing;

namespace Escala.Cli.Tests.Training;

public sealed class PipelinesCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Pipeline = """
        name: adult-income
        steps:
          - name: train
            type: train
            trainer: lightgbm          # or fasttree, logistic, linear, command
            task: binary               # binary | multiclass | regression
            data: adult-train          # a dataset (latest version) or dataset@version
            label: income
            positive: ">50K"
          - name: evaluate
            type: evaluate
            model: ${train.model}
            data: adult-test
          - name: gate
            type: gate
            evaluation: ${evaluate}
            rules:
              - metric: auc
                min: ${params.min_auc}
          - name: register
            type: register
            model: ${train.model}
            as: adult
        parameters:
          min_auc: 0.90
        """;

    [Fact]
    public async Task Upload_apply_run_wait_then_batch_score_the_raw_test_csv_and_fail_a_gate_with_its_reason()
    {
        await using var server = await EscalaTestServer.StartAsync(configure: EscalaTestServer.UseRoutingOnlyStageRules);
        var (url, key, folder) = (server.Url, server.AdminKey, server.DataDirectory);
        var lines = File.ReadLines(SharedFolder.Require("datasets/adult.csv")).ToArray();
        var train = Path.Combine(folder, "train.csv");
        var test = Path.Combine(folder, "test.csv");
        await File.WriteAllLinesAsync(train, lines.Take(5001), Ct);
        await File.WriteAllLinesAsync(test, lines.Take(1).Concat(lines.Skip(5001).Take(1000)), Ct);
        var yaml = Path.Combine(folder, "adult.yaml");
        await File.WriteAllTextAsync(yaml, Pipeline, Ct);

        var uploaded = await EscalaProcess.RunOkAsync(url, key, "datasets", "upload", "adult-train", train);
        Assert.Contains("adult-train@1: 5,000 rows, 15 columns", uploaded.Output, StringComparison.Ordinal);
        await EscalaProcess.RunOkAsync(url, key, "datasets", "upload", "adult-test", test);
        await EscalaProcess.RunOkAsync(url, key, "pipelines", "apply", yaml);
        var run = await EscalaProcess.RunOkAsync(url, key, "pipelines", "run", "adult-income", "--wait");
        Assert.StartsWith("run 1 of adult-income queued", run.Output, StringComparison.Ordinal);
        Assert.Contains("succeeded", run.Output, StringComparison.Ordinal);
        var logs = await EscalaProcess.RunOkAsync(url, key, "pipelines", "logs", "1", "gate");
        Assert.Contains("PASS auc >= 0.9", logs.Output, StringComparison.Ordinal);

        // adult:1 takes the raw CSV columns: batch scoring the test file without its label works.
        var unlabelled = Path.Combine(folder, "unlabelled.csv");
        await File.WriteAllLinesAsync(unlabelled, File.ReadLines(test).Select(l => l[..l.LastIndexOf(',')]), Ct);
        await EscalaProcess.RunOkAsync(url, key, "endpoints", "create", "adult");
        await EscalaProcess.RunOkAsync(url, key, "deploy", "adult", "adult:1");
        var scored = Path.Combine(folder, "scored.csv");
        await EscalaProcess.RunOkAsync(url, key, "batch", "adult", "--in", unlabelled, "--out", scored);
        Assert.Equal(1001, File.ReadLines(scored).Count());
        Assert.Contains("Probability", File.ReadLines(scored).First(), StringComparison.Ordinal);

        // A gate that cannot pass stops the run: exit 1, the failing step and the numbers.
        var failed = await EscalaProcess.RunAsync(url, key, "pipelines", "run", "adult-income", "--param", "min_auc=0.999", "--wait");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("run 2 failed at step 'gate': gate failed: auc >= 0.999: auc = 0.", failed.Error, StringComparison.Ordinal);
        Assert.Contains("below the minimum 0.999", failed.Error, StringComparison.Ordinal);
        var shown = await EscalaProcess.RunOkAsync(url, key, "pipelines", "show", "2");
        Assert.Contains("cached (run 1)", shown.Output, StringComparison.Ordinal);
        Assert.Contains("skipped", shown.Output, StringComparison.Ordinal);
    }
}

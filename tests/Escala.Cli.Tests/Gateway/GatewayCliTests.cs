using System.Globalization;
using System.Text.Json;
using Escala.Cli.Tests.Support;
using Escala.Testing;

namespace Escala.Cli.Tests.Gateway;

public sealed class GatewayCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_deploy_predict_canary_promote_and_rollback_through_the_cli()
    {
        await using var server = await EscalaTestServer.StartAsync(configure: EscalaTestServer.UseRoutingOnlyStageRules);
        var (url, key) = (server.Url, server.AdminKey);
        var folder = server.DataDirectory;
        await File.WriteAllBytesAsync(Path.Combine(folder, "v1.onnx"), TestModels.Logistic(features: 3, seed: 1), Ct);
        await File.WriteAllBytesAsync(Path.Combine(folder, "v2.onnx"), TestModels.Logistic(features: 3, seed: 2), Ct);
        await EscalaProcess.RunOkAsync(url, key, "models", "register", "credit", Path.Combine(folder, "v1.onnx"));
        await EscalaProcess.RunOkAsync(url, key, "models", "register", "credit", Path.Combine(folder, "v2.onnx"));

        var created = await EscalaProcess.RunOkAsync(url, key, "endpoints", "create", "credit", "--deadline-ms", "500");
        Assert.Contains("Created endpoint credit", created.Output, StringComparison.Ordinal);
        var deployed = await EscalaProcess.RunOkAsync(url, key, "deploy", "credit", "credit:1");
        Assert.Contains("deployed credit:1 to all departments", deployed.Output, StringComparison.Ordinal);

        var records = Path.Combine(folder, "records.json");
        await File.WriteAllTextAsync(records, """[{"x":[0.1,0.2,0.3]},{"x":[1,2,3]}]""", Ct);
        var predicted = await EscalaProcess.RunOkAsync(url, key, "predict", "credit", "--input", records);
        Assert.StartsWith("credit:1 answered; request id ", predicted.Output, StringComparison.Ordinal);
        var v2 = Path.Combine(folder, "v2.json");
        await File.WriteAllTextAsync(v2, """{"inputs":[{"name":"x","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}""", Ct);
        var asJson = await EscalaProcess.RunOkAsync(url, key, "predict", "credit", "--input", v2, "--json");
        using (var answer = JsonDocument.Parse(asJson.Output))
        {
            Assert.Equal("credit:1", answer.RootElement.GetProperty("model_version").GetString());
        }

        var canary = await EscalaProcess.RunOkAsync(url, key, "deploy", "credit", "credit:2", "--strategy", "canary", "--steps", "20,100");
        Assert.Contains("canary: 20% credit:2, 80% credit:1", canary.Output, StringComparison.Ordinal);
        var shown = await EscalaProcess.RunOkAsync(url, key, "endpoints", "show", "credit");
        Assert.Contains("all departments: canary: 20% credit:2", shown.Output, StringComparison.Ordinal);
        var promoted = await EscalaProcess.RunOkAsync(url, key, "promote", "credit");
        Assert.Contains("canary advanced to 100% credit:2", promoted.Output, StringComparison.Ordinal);
        var rolledBack = await EscalaProcess.RunOkAsync(url, key, "rollback", "credit");
        Assert.Contains("canary rolled back: credit:1 takes all traffic", rolledBack.Output, StringComparison.Ordinal);
        var listed = await EscalaProcess.RunOkAsync(url, key, "endpoints", "list", "--json");
        using (var json = JsonDocument.Parse(listed.Output))
        {
            Assert.Equal("single: 100% credit:1", json.RootElement[0].GetProperty("routing").GetProperty("default").GetString());
        }
    }

    [Fact]
    public async Task Batch_scores_a_csv_in_chunks_keeping_row_order_and_saying_which_version_scored_each_row()
    {
        await using var server = await EscalaTestServer.StartAsync(configure: EscalaTestServer.UseRoutingOnlyStageRules);
        var (url, key) = (server.Url, server.AdminKey);
        var folder = server.DataDirectory;
        await File.WriteAllBytesAsync(Path.Combine(folder, "m.onnx"), TestModels.Logistic(features: 3), Ct);
        await EscalaProcess.RunOkAsync(url, key, "models", "register", "credit", Path.Combine(folder, "m.onnx"));
        await EscalaProcess.RunOkAsync(url, key, "endpoints", "create", "credit");
        await EscalaProcess.RunOkAsync(url, key, "deploy", "credit", "credit:1");
        var input = Path.Combine(folder, "in.csv");
        var lines = new List<string> { "age,income,\"debt, total\"" };
        for (var i = 0; i < 2345; i++)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{i % 90},{i * 10.5},{(i % 7) - 3}"));
        }

        await File.WriteAllLinesAsync(input, lines, Ct);
        var output = Path.Combine(folder, "out.csv");

        var run = await EscalaProcess.RunOkAsync(url, key, "batch", "credit", "--in", input, "--out", output, "--chunk", "500", "--parallel", "3");

        Assert.Contains("Scored 2,345 rows in 5 requests", run.Output, StringComparison.Ordinal);
        Assert.Contains("Peak memory", run.Output, StringComparison.Ordinal);
        var scored = await File.ReadAllLinesAsync(output, Ct);
        Assert.Equal("age,income,\"debt, total\",p_0,escala_version,escala_fallback,escala_request_id", scored[0]);
        Assert.Equal(2346, scored.Length);
        Assert.StartsWith("63,12946.5,-2,", scored[1234], StringComparison.Ordinal);
        Assert.All(scored.Skip(1), row => Assert.Contains(",credit:1,false,", row, StringComparison.Ordinal));
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{2000 % 90},{2000 * 10.5}"), string.Join(',', scored[2001].Split(',').Take(2)));
        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public async Task The_demo_rolls_out_to_the_pilot_department_canaries_shows_the_split_and_rolls_back()
    {
        var folder = Path.Combine(Path.GetTempPath(), "escala-tests", "demo-gw-" + Guid.NewGuid().ToString("N"));
        try
        {
            var demo = await EscalaProcess.RunOkAsync(null, null, "demo", "--data", folder);

            Assert.Contains("deploy credit-risk:1 to the pilot department only -> deployed credit-risk:1 to department 'risk'", demo.Output, StringComparison.Ordinal);
            Assert.Contains("retail-banking's app called it -> refused", demo.Output, StringComparison.Ordinal);
            Assert.Contains("canary: 20% credit-risk:2, 80% credit-risk:1", demo.Output, StringComparison.Ordinal);
            var split = demo.Output.Split('\n').Single(l => l.Contains("<- the split", StringComparison.Ordinal));
            Assert.Contains("credit-risk:1 ", split, StringComparison.Ordinal);
            Assert.Contains("credit-risk:2 ", split, StringComparison.Ordinal);
            Assert.Contains("rollback in risk -> canary rolled back: credit-risk:1 takes all traffic", demo.Output, StringComparison.Ordinal);
            Assert.Contains("200 more applications -> credit-risk:1 200 (100.0%", demo.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, "application.json")));
            Assert.Equal("", demo.Error);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Gateway_commands_fail_with_a_message_and_a_non_zero_exit_on_bad_input()
    {
        await using var server = await EscalaTestServer.StartAsync(configure: EscalaTestServer.UseRoutingOnlyStageRules);
        var (url, key) = (server.Url, server.AdminKey);
        var folder = server.DataDirectory;
        await EscalaProcess.RunOkAsync(url, key, "endpoints", "create", "credit");
        var bad = Path.Combine(folder, "bad.json");
        await File.WriteAllTextAsync(bad, "{not json", Ct);
        var csv = Path.Combine(folder, "bad.csv");
        await File.WriteAllTextAsync(csv, "a,b\n1,2\n", Ct);

        var unknownVersion = await EscalaProcess.RunAsync(url, key, "deploy", "credit", "credit:7");
        var badStrategy = await EscalaProcess.RunAsync(url, key, "deploy", "credit", "credit:1", "--strategy", "yolo");
        var nothingToPromote = await EscalaProcess.RunAsync(url, key, "promote", "credit");
        var badFile = await EscalaProcess.RunAsync(url, key, "predict", "credit", "--input", bad);
        var missingFile = await EscalaProcess.RunAsync(url, key, "predict", "credit", "--input", Path.Combine(folder, "nope.json"));
        var notDeployed = await EscalaProcess.RunAsync(url, key, "batch", "credit", "--in", csv, "--out", Path.Combine(folder, "o.csv"));

        foreach (var result in new[] { unknownVersion, badStrategy, nothingToPromote, badFile, missingFile, notDeployed })
        {
            Assert.True(result.ExitCode != 0, result.ToString());
            Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        }

        Assert.Contains("credit", unknownVersion.Error, StringComparison.Ordinal);
        Assert.Contains("not a strategy", badStrategy.Error, StringComparison.Ordinal);
        Assert.Contains("is not JSON", badFile.Error, StringComparison.Ordinal);
    }
}

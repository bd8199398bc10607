using System.Globalization;
using System.Text;
using System.Text.Json;
using Escala.Cli.Tests.Support;
using Escala.Testing;

namespace Escala.Cli.Tests.Governance;

public sealed class GovernanceCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Explain_prints_each_features_contribution_and_json_adds_up()
    {
        await using var server = await EscalaTestServer.StartAsync(configure: EscalaTestServer.UseRoutingOnlyStageRules);
        var (url, key) = (server.Url, server.AdminKey);
        var folder = server.DataDirectory;
        var model = Path.Combine(folder, "credit.onnx");
        await File.WriteAllBytesAsync(model, TestModels.Logistic(features: 3, seed: 1), Ct);
        var reference = new StringBuilder("age,income,debt\n");
        var random = new Random(3);
        for (var i = 0; i < 300; i++)
        {
            reference.Append(CultureInfo.InvariantCulture, $"{random.NextDouble() * 3:R},{random.NextDouble():R},{random.NextDouble() - 0.5:R}\n");
        }

        var csv = Path.Combine(folder, "reference.csv");
        await File.WriteAllTextAsync(csv, reference.ToString(), Ct);
        await EscalaProcess.RunOkAsync(url, key, "models", "register", "credit", model, "--baseline", csv);
        await EscalaProcess.RunOkAsync(url, key, "endpoints", "create", "credit");
        await EscalaProcess.RunOkAsync(url, key, "deploy", "credit", "credit:1");
        var records = Path.Combine(folder, "records.json");
        await File.WriteAllTextAsync(records, """[{"age": 2.5, "income": 0.1, "debt": 0.4}]""", Ct);

        var text = await EscalaProcess.RunOkAsync(url, key, "explain", "credit", "--input", records);
        var json = await EscalaProcess.RunOkAsync(url, key, "explain", "credit", "--input", records, "--json");
        var bad = await EscalaProcess.RunAsync(url, key, "explain", "credit", "--input", records, "--method", "tree-path-dependent");

        Assert.Contains("credit v1: linear-exact (exact, margin space, against 200 background rows)", text.Output, StringComparison.Ordinal);
        Assert.Contains("  age ", text.Output, StringComparison.Ordinal);
        using var answer = JsonDocument.Parse(json.Output);
        var output = answer.RootElement.GetProperty("outputs")[0];
        var row = output.GetProperty("rows")[0];
        var sum = output.GetProperty("expectedValue").GetDouble() + row.GetProperty("attributions").EnumerateObject().Sum(a => a.Value.GetDouble());
        Assert.Equal(row.GetProperty("value").GetDouble(), sum, 1e-9);
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith("error: ", bad.Error, StringComparison.Ordinal);
        Assert.Contains("linear", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fairness_scores_a_holdout_on_the_server_and_refuses_a_missing_column()
    {
        await using var server = await EscalaTestServer.StartAsync(configure: EscalaTestServer.UseRoutingOnlyStageRules);
        var (url, key) = (server.Url, server.AdminKey);
        var folder = server.DataDirectory;
        var model = Path.Combine(folder, "credit.onnx");
        await File.WriteAllBytesAsync(model, TestModels.Logistic(features: 3, seed: 1), Ct);
        await EscalaProcess.RunOkAsync(url, key, "models", "register", "credit", model);
        var holdout = new StringBuilder("a,b,c,sex,y\n");
        var random = new Random(9);
        for (var i = 0; i < 200; i++)
        {
            holdout.Append(CultureInfo.InvariantCulture, $"{random.NextDouble() * 4 - 2:R},{random.NextDouble():R},{random.NextDouble():R},{(i % 2 == 0 ? "F" : "M")},{i % 3 % 2}\n");
        }

        var csv = Path.Combine(folder, "holdout.csv");
        await File.WriteAllTextAsync(csv, holdout.ToString(), Ct);

        var text = await EscalaProcess.RunOkAsync(url, key, "fairness", "credit:1", "--data", csv, "--sensitive", "sex", "--label", "y");
        var missing = await EscalaProcess.RunAsync(url, key, "fairness", "credit:1", "--data", csv, "--sensitive", "race", "--label", "y");

        Assert.Contains("credit v1: 200 holdout rows, positive class '1'", text.Output, StringComparison.Ordinal);
        Assert.Contains("  demographic parity difference", text.Output, StringComparison.Ordinal);
        Assert.Contains("four-fifths rule: ", text.Output, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error: ", missing.Error, StringComparison.Ordinal);
        Assert.Contains("race", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Privacy_set_show_erase_and_an_unknown_policy_is_one_line_on_stderr()
    {
        await using var server = await EscalaTestServer.StartAsync(configure: EscalaTestServer.UseRoutingOnlyStageRules);
        var (url, key) = (server.Url, server.AdminKey);
        await EscalaProcess.RunOkAsync(url, key, "endpoints", "create", "credit");

        var set = await EscalaProcess.RunOkAsync(url, key, "privacy", "set", "credit", "--field", "email=hash", "--field", "phone=mask:2:2", "--retain-predictions-days", "30");
        var shown = await EscalaProcess.RunOkAsync(url, key, "privacy", "show", "credit");
        var erased = await EscalaProcess.RunOkAsync(url, key, "privacy", "erase", "credit", "--subject", "alice");
        var unknown = await EscalaProcess.RunAsync(url, key, "privacy", "set", "credit", "--field", "email=encrypt");

        Assert.Contains("email=hash, phone=mask:2:2", set.Output, StringComparison.Ordinal);
        Assert.Contains("retention: predictions 30 days, labels kept", shown.Output, StringComparison.Ordinal);
        Assert.Contains("Erased from credit: 0 predictions, 0 labels.", erased.Output, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.StartsWith("error: ", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("encrypt", unknown.Error, StringComparison.Ordinal);
    }
}

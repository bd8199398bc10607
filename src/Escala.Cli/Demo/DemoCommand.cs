using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Escala.Cli.Client;
using Escala.Cli.Registry;
using Escala.Core.Audit;
using Escala.Core.Registry;
using Escala.Server.Access;
using Escala.Server.Departments;
using Escala.Server.Hosting;
using Escala.Server.Registry;
using Escala.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Escala.Cli.Demo;

/// <summary>
/// <c>escala demo</c>: the main job end to end, on a fresh data folder with a real server in this
/// process. Departments and keys are created, a credit-risk model is trained on synthetic data and
/// exported to ONNX, registered by a scientist, and promoted to production through four-eyes
/// approval by a second person; a retrained version waits in staging as the challenger. Then the gateway serves the
/// pilot department (a canary, a rollback) and monitoring catches the applicants changing halfway through the traffic.
/// </summary>
public static class DemoCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var data = new Option<DirectoryInfo?>("--data")
        {
            Description = "The data folder to use (must not hold an Escala database yet); default: a new temporary folder.",
        };
        var serve = new Option<bool>("--serve")
        {
            Description = "Keep the server running after the demo (until Ctrl+C) and print the dashboard's address, to see the whole story in a browser.",
        };
        var command = new Command("demo", "Run the main job end to end: departments, keys, a trained model registered and approved to production.") { data, serve };
        return command.Runs(async (cli, ct) =>
        {
            var folder = cli.Get(data)?.FullName ?? Path.Combine(Path.GetTempPath(), $"escala-demo-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}");
            if (File.Exists(Path.Combine(folder, "escala.db")))
            {
                throw new CliException($"{folder} already holds an Escala database; the demo needs a fresh folder (omit --data for a temporary one).");
            }

            await RunAsync(folder, cli.Line, ct, cli.Get(serve));
        });
    }

    /// <summary>Runs the demo in <paramref name="folder"/>, reporting each step through <paramref name="say"/>.</summary>
    public static async Task RunAsync(string folder, Action<string> say, CancellationToken ct, bool serve = false)
    {
        var clock = Stopwatch.StartNew();
        var options = new EscalaServerOptions { DataDirectory = folder, Urls = "http://127.0.0.1:0" };
        await using var app = await EscalaServer.StartAsync(options, builder =>
        {
            // The demo narrates; the server only speaks up for errors.
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
            builder.Logging.SetMinimumLevel(LogLevel.Error);

            // Monitoring judges a closed window within a fifth of a second instead of the production tick of one.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Monitoring:TickInterval"] = "00:00:00.200" });
        }, ct);
        var url = app.Urls.First();
        var dataFolder = DataFolder.Existing(folder);
        say("Escala demo: a credit-risk model from pilot to production");
        say($"  server       {url} (running in this process)");
        say($"  data folder  {folder}");
        say("");

        var adminKey = (await File.ReadAllTextAsync(dataFolder.BootstrapKeyPath, ct)).Trim();
        using var admin = new EscalaClient(url, adminKey);

        say("1. Departments (the units keys, models and, later, traffic are scoped to)");
        foreach (var (name, display, headcount, champion) in new[]
        {
            ("risk", "Credit Risk", 120, "Dana Ortiz"),
            ("retail-banking", "Retail Banking", 850, "Sam Lee"),
            ("operations", "Operations", 400, "Priya Nair"),
        })
        {
            await admin.PostAsync<Core.Departments.Department>("api/v1/departments", new CreateDepartmentRequest(name, display, headcount, champion), ct);
            say($"   created {name,-15} {display} ({headcount:N0} people, champion {champion})");
        }

        say("");
        say("2. API keys (created with the bootstrap admin key; secrets are stored hashed)");
        var alice = await admin.PostAsync<CreatedKeyResponse>("api/v1/keys", new CreateKeyRequest("alice", "scientist", ["risk"]), ct);
        var bob = await admin.PostAsync<CreatedKeyResponse>("api/v1/keys", new CreateKeyRequest("bob", "approver", ["risk"]), ct);
        var carol = await admin.PostAsync<CreatedKeyResponse>("api/v1/keys", new CreateKeyRequest("carol", "approver"), ct);
        say($"   alice  scientist in risk            (key {alice.Key.Id}), the data scientist");
        say($"   bob    approver in risk             (key {bob.Key.Id}), the team lead");
        say($"   carol  approver, organisation-wide  (key {carol.Key.Id}), model risk & compliance");
        using var asAlice = new EscalaClient(url, alice.Secret);
        using var asBob = new EscalaClient(url, bob.Secret);
        using var asCarol = new EscalaClient(url, carol.Secret);

        say("");
        say("3. Training (synthetic credit applications made in code; logistic regression exported to ONNX)");
        var holdout = CreditApplications.Generate(5_000, seed: 1000);
        var (v1Onnx, v1Metrics, v1Train, v1Fit) = Train(seed: 1, trainRows: 20_000, l2: 1.0, holdout, say);
        await File.WriteAllBytesAsync(Path.Combine(folder, "credit-risk-v1.onnx"), v1Onnx, ct);

        say("");
        say("4. Registry and four-eyes promotion");
        var v1 = await ModelsCommand.RegisterAsync(asAlice, "credit-risk", "credit-risk-v1.onnx", v1Onnx, new RegisterVersionMetadata(
            Description: "Probability that a credit application defaults within 12 months.",
            Metrics: Metrics(v1Metrics),
            Params: Params(v1Fit, v1Train.Count),
            Tags: new Dictionary<string, string> { ["team"] = "credit-risk", ["use-case"] = "loan-approval" },
            DataFingerprint: v1Train.Fingerprint(),
            CodeRevision: "escala-demo",
            PipelineRun: "demo-run-1",
            Card: Card(1, v1Fit, v1Metrics, v1Train)), ct, baseline: Encoding.UTF8.GetBytes(v1Train.ToCsv()));
        say($"   alice registered credit-risk v{v1.Version}: sha256:{v1.ArtifactSha256[..16]}..., {v1.SizeBytes:N0} bytes,");
        say($"         signature {ModelsCommand.Describe(v1.Signature!.Inputs)} -> {ModelsCommand.Describe(v1.Signature.Outputs)}");
        say(string.Create(CultureInfo.InvariantCulture,
            $"         baseline for monitoring: the {v1.Baseline!.Rows:N0} training rows, profiled per feature and scored for the prediction's profile at registration"));
        await Stage(asAlice, v1.Version, "staging", "Holdout metrics meet the pilot's bar.", ct);
        say($"   alice moved v{v1.Version} to staging");
        var request = (await Stage(asBob, v1.Version, "production", "Pilot in Credit Risk succeeded; ready for production.", ct)).Approval!;
        say($"   bob asked for production -> approval request #{request.Id} pending (four-eyes is on for credit-risk)");
        try
        {
            await asBob.PostAsync<ApprovalOutcomeResponse>($"api/v1/approvals/{request.Id}/approve", new DecisionRequest("self-approval"), ct);
            throw new CliException("The server let bob approve his own request; four-eyes is broken.");
        }
        catch (CliException refused) when (refused.Message.Contains("four-eyes", StringComparison.Ordinal))
        {
            say($"   bob tried to approve it himself -> refused: {refused.Message}");
        }

        var approved = await asCarol.PostAsync<ApprovalOutcomeResponse>($"api/v1/approvals/{request.Id}/approve", new DecisionRequest("Metrics and model card reviewed."), ct);
        say($"   carol approved request #{request.Id} -> credit-risk v{approved.Version!.Version} is in {StageTransitions.ToName(approved.Version.Stage)}");
        await asAlice.PutAsync<ModelAlias>("api/v1/models/credit-risk/aliases/champion", new SetAliasRequest(v1.Version), ct);
        say($"   alice pointed the alias champion at v{v1.Version}");

        say("");
        say("5. A retrained challenger (new data, parent v1), waiting in staging for a canary");
        var (v2Onnx, v2Metrics, v2Train, v2Fit) = Train(seed: 2, trainRows: 40_000, l2: 0.5, holdout, say);
        await File.WriteAllBytesAsync(Path.Combine(folder, "credit-risk-v2.onnx"), v2Onnx, ct);
        var v2 = await ModelsCommand.RegisterAsync(asAlice, "credit-risk", "credit-risk-v2.onnx", v2Onnx, new RegisterVersionMetadata(
            Description: "Retrained on a larger, newer sample of applications.",
            Metrics: Metrics(v2Metrics),
            Params: Params(v2Fit, v2Train.Count),
            Tags: new Dictionary<string, string> { ["team"] = "credit-risk", ["use-case"] = "loan-approval" },
            DataFingerprint: v2Train.Fingerprint(),
            CodeRevision: "escala-demo",
            PipelineRun: "demo-run-2",
            Parent: $"credit-risk:{v1.Version}",
            Card: Card(2, v2Fit, v2Metrics, v2Train)), ct, baseline: Encoding.UTF8.GetBytes(v2Train.ToCsv()));
        await Stage(asAlice, v2.Version, "staging", "Challenger for a canary against the champion.", ct);
        await asAlice.PutAsync<ModelAlias>("api/v1/models/credit-risk/aliases/challenger", new SetAliasRequest(v2.Version), ct);
        say($"   alice registered credit-risk v{v2.Version} (parent v{v1.Version}), moved it to staging and pointed challenger at it");
        var lineage = await admin.GetAsync<LineageView>($"api/v1/models/credit-risk/versions/{v1.Version}/lineage", ct);
        say($"   lineage of v{v1.Version}: derived versions {string.Join(", ", lineage.Children)}");

        say("");
        say("6. Serving: the pilot department first, a canary inside it, then a rollback");
        var (operatorKey, appKey) = await ServingDemo.RunAsync(url, folder, admin, v1.Version, v2.Version, say, ct);

        say("");
        say("7. Monitoring: the applicants change halfway through the traffic");
        await MonitoringDemo.RunAsync(url, folder, admin, operatorKey, appKey, say, ct);

        say("");
        say("8. Organisation rollout: from the pilot in risk to the next wave");
        await OrganisationDemo.RunAsync(url, folder, admin, operatorKey, appKey, v1.Version, say, ct);

        say("");
        say("9. Audit");
        var verification = await admin.GetAsync<AuditVerification>("api/v1/audit/verify", ct);
        say($"   {verification.Describe()}");
        if (!verification.IsIntact)
        {
            throw new CliException("The audit chain of a fresh demo is broken; this is a bug.");
        }

        var cardPath = Path.Combine(folder, "credit-risk-v1-card.html");
        await File.WriteAllTextAsync(cardPath, await admin.GetStringAsync($"api/v1/models/credit-risk/versions/{v1.Version}/card/html", ct), ct);
        if (serve)
        {
            say("");
            say($"Dashboard: {url}/  (sign in with a key: the admin's is in {dataFolder.BootstrapKeyPath};");
            say($"           carol the approver's is {carol.Secret})");
            say("The server keeps running; press Ctrl+C to stop it.");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: stop gracefully below.
            }
        }

        await app.StopAsync(CancellationToken.None);

        say("");
        say($"Done in {clock.Elapsed.TotalSeconds:0.0} s. The server is stopped; everything is kept in {folder}. Where to look:");
        say($"   model card        {cardPath}");
        say($"   drift report      {Path.Combine(folder, "credit-risk-drift.html")}");
        say($"   executive report  {Path.Combine(folder, "executive-report.html")}");
        say($"   the ONNX files    {Path.Combine(folder, "credit-risk-v1.onnx")} (and -v2); try `escala onnx info` on them");
        say($"   audit chain       escala audit verify --data {folder}");
        say($"   serve it again    escala serve --data {folder}");
        say($"   then, elsewhere   export ESCALA_API_KEY=$(cat {dataFolder.BootstrapKeyPath})");
        say("                     escala models show credit-risk");
        say("                     escala approvals list --status all");
        say("                     escala audit list");
        say("                     escala endpoints show credit-risk");
        say("                     escala drift credit-risk --list; escala alerts list; escala status credit-risk");
        say("                     escala rollouts show credit-rollout; escala adoption; escala costs --by department");
        say($"                     escala predict credit-risk --input {Path.Combine(folder, "application.json")} --department risk");
        say("   REST and OpenAPI  http://127.0.0.1:5080/api/v1/models, http://127.0.0.1:5080/openapi/v1.json");
        say("   (from the repository, `escala` is `dotnet run --project src/Escala.Cli --`)");
    }

    private static (byte[] Onnx, HoldoutMetrics Metrics, CreditApplications Train, LogisticRegression Fit) Train(
        int seed, int trainRows, double l2, CreditApplications holdout, Action<string> say)
    {
        var train = CreditApplications.Generate(trainRows, seed);
        var fit = LogisticRegression.Fit(train.Features, train.Defaulted, l2);
        var onnx = CreditRiskOnnx.Export(fit, $"v-seed{seed}");
        var fromEngine = CreditRiskOnnx.Score(onnx, holdout.Features);
        var largestDifference = 0.0;
        for (var i = 0; i < holdout.Count; i++)
        {
            largestDifference = Math.Max(largestDifference, Math.Abs(fromEngine[i] - fit.Predict(holdout.Features[i])));
        }

        if (largestDifference > 1e-4)
        {
            throw new CliException($"The exported ONNX model disagrees with the fitted model by {largestDifference:G3}; this is a bug.");
        }

        // Report what the ONNX file itself scores (float32, as it will be served).
        var metrics = HoldoutMetrics.Compute(fromEngine, holdout.Defaulted);
        say($"   {train.Count:N0} training rows (default rate {train.DefaultRate:P1}), {holdout.Count:N0} holdout rows");
        say($"   logistic regression, IRLS in {fit.Iterations} iterations: holdout AUC {metrics.Auc:0.000}, log loss {metrics.LogLoss:0.000}, accuracy {metrics.Accuracy:0.000}");
        say($"   ONNX file ({onnx.Length:N0} bytes, Gemm + Sigmoid) run by Escala's engine matches the fitted model within {largestDifference:0.0e0}");
        return (onnx, metrics, train, fit);
    }

    private static async Task<StageChangeResponse> Stage(EscalaClient client, int version, string stage, string comment, CancellationToken ct) =>
        (await client.SendWithStatusAsync<StageChangeResponse>(() => EscalaClient.WithJson(
            HttpMethod.Post, $"api/v1/models/credit-risk/versions/{version}/stage", new StageChangeRequest(stage, comment)), ct)).Body;

    private static JsonElement Metrics(HoldoutMetrics m) => JsonSerializer.SerializeToElement(new Dictionary<string, double>
    {
        ["auc"] = Math.Round(m.Auc, 6),
        ["log_loss"] = Math.Round(m.LogLoss, 6),
        ["accuracy"] = Math.Round(m.Accuracy, 6),
        ["brier"] = Math.Round(m.Brier, 6),
        ["holdout_default_rate"] = Math.Round(m.DefaultRate, 6),
    });

    private static JsonElement Params(LogisticRegression fit, int rows) => JsonSerializer.SerializeToElement(new Dictionary<string, object>
    {
        ["algorithm"] = "logistic-regression-irls",
        ["l2"] = fit.L2,
        ["iterations"] = fit.Iterations,
        ["training_rows"] = rows,
        ["features"] = string.Join(',', CreditApplications.FeatureNames),
    });

    private static string Card(int version, LogisticRegression fit, HoldoutMetrics metrics, CreditApplications train)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.Append(c, $"# credit-risk v{version}\n\n");
        md.Append("## Intended use\n\nRanks consumer credit applications by the probability of default within 12 months, ")
            .Append("to support (not replace) underwriters in the Credit Risk department. Not for employment, insurance or housing decisions.\n\n");
        md.Append("## Data\n\n");
        md.Append(c, $"- {train.Count:N0} synthetic applications generated by `escala demo` (default rate {train.DefaultRate:P1}); fingerprint `{train.Fingerprint()}`\n");
        md.Append("- Features: ").Append(string.Join(", ", CreditApplications.FeatureNames.Select(f => $"`{f}`"))).Append("\n\n");
        md.Append("## Metrics (5,000-row holdout)\n\n| metric | value |\n|---|---|\n");
        md.Append(c, $"| ROC AUC | {metrics.Auc:0.0000} |\n| log loss | {metrics.LogLoss:0.0000} |\n| accuracy | {metrics.Accuracy:0.0000} |\n| Brier score | {metrics.Brier:0.0000} |\n\n");
        md.Append("## Model\n\nLogistic regression (IRLS, L2 ").Append(fit.L2.ToString(c)).Append("). Coefficients on the original scale:\n\n| feature | weight |\n|---|---|\n");
        md.Append(c, $"| (intercept) | {fit.Intercept:0.0000} |\n");
        for (var j = 0; j < fit.Weights.Length; j++)
        {
            md.Append(c, $"| {CreditApplications.FeatureNames[j]} | {fit.Weights[j]:0.0000} |\n");
        }

        md.Append("\n## Fairness\n\nNot assessed yet: the data has no sensitive attributes. Assess before use on real applicants.\n\n");
        md.Append("## Limitations\n\nTrained on synthetic data; probabilities are calibrated to that data only. `age` is used as a feature, ")
            .Append("which many jurisdictions restrict in credit decisions.\n");
        return md.ToString();
    }
}

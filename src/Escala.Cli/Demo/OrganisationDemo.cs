using System.Globalization;
using System.Text.Json;
using Escala.Cli.Client;
using Escala.Core.Adoption;
using Escala.Core.Capacity;
using Escala.Core.Costs;
using Escala.Server.Access;
using Escala.Server.Organisation;

namespace Escala.Cli.Demo;

/// <summary>
/// The demo's organisation part: the pilot in risk becomes wave 1 of a rollout plan; its readiness checklist is
/// completed; pilot users (pseudonymous) use it and rate it; the next wave's gate fails on one KPI (no satisfaction
/// data), then passes; the plan advances to retail-banking and operations, whose callers were refused before and are
/// served after; adoption, cost with the organisation-wide projection and a measured capacity are printed.
/// </summary>
public static class OrganisationDemo
{
    private const string Endpoint = "credit-risk";
    private const string Plan = "credit-rollout";
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Runs the steps; the endpoint serves credit-risk:<paramref name="version"/> (in production) to risk.</summary>
    public static async Task RunAsync(string url, string folder, EscalaClient admin, string operatorKey, string riskAppKey, int version, Action<string> say, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(admin);
        using var asOlivia = new EscalaClient(url, operatorKey);
        using var asRisk = new EscalaClient(url, riskAppKey);
        var retailApp = await admin.PostAsync<CreatedKeyResponse>("api/v1/keys", new CreateKeyRequest("retail-lending-app", "viewer", ["retail-banking"]), ct);
        var opsApp = await admin.PostAsync<CreatedKeyResponse>("api/v1/keys", new CreateKeyRequest("operations-review-app", "viewer", ["operations"]), ct);
        using var asRetail = new EscalaClient(url, retailApp.Secret);
        using var asOps = new EscalaClient(url, opsApp.Secret);

        await admin.PostAsync<JsonElement>("api/v1/usecases", new CreateUseCaseRequest(
            "credit-decisioning", [Endpoint], 4m, "minutes saved", null, "A default-risk score on every credit application, instead of a manual first read.", "risk"), ct);
        say("   use case credit-decisioning: served by credit-risk, for every department, 4 minutes saved per prediction");
        await admin.PostAsync<JsonElement>("api/v1/rollouts", new CreateRolloutRequest(
            Plan, "credit-decisioning", Endpoint, $"credit-risk:{version}", ["risk", "retail-banking,operations"], "0s",
            ["error_rate<=0.01", "adoption_depth>=0.05", "satisfaction>=3.5"]), ct);
        say($"   rollout plan {Plan}: credit-risk:{version} in waves risk | retail-banking,operations; gates error_rate<=0.01, adoption_depth>=0.05, satisfaction>=3.5 (soak 0s for the demo; 24h by default)");

        foreach (var department in new[] { "risk", "retail-banking", "operations" })
        {
            foreach (var (item, meaning) in Core.Rollouts.ReadinessItems.All)
            {
                await admin.PostAsync<JsonElement>($"api/v1/rollouts/{Plan}/checklist", new ChecklistRequest(department, item, $"{meaning}: signed off by the {department} champion"), ct);
            }
        }

        say("   readiness checklist ticked for risk, retail-banking and operations (7 items each, with evidence): budget, champions, use-cases, training, support, sponsorship, success-metrics");
        var first = await asOlivia.PostAsync<JsonElement>($"api/v1/rollouts/{Plan}/advance", new AdvanceRequest(), ct);
        say($"   advance -> {first.GetProperty("message").GetString()}");

        var applications = CreditApplications.Generate(200, seed: 11);
        for (var i = 0; i < 120; i++)
        {
            await PredictAsync(asRisk, applications.Features[i], $"underwriter-{i % 12:00}@bank.example", ct);
        }

        say("   12 underwriters in risk (named by X-Escala-User, kept only as a keyed hash) scored 120 applications");
        try
        {
            await asOlivia.PostAsync<JsonElement>($"api/v1/rollouts/{Plan}/advance", new AdvanceRequest(), ct);
            throw new CliException("The wave advanced without satisfaction data; the gates are broken.");
        }
        catch (CliException refused) when (refused.Message.Contains("gates-failing", StringComparison.Ordinal))
        {
            say($"   advance to wave 2 -> refused: {refused.Message}");
        }

        for (var i = 0; i < 10; i++)
        {
            await asRisk.PostAsync<JsonElement>($"v1/endpoints/{Endpoint}/satisfaction",
                new SatisfactionRequest(Rating: i % 3 == 0 ? 3 : i % 3 == 1 ? 4 : 5, User: $"underwriter-{i:00}@bank.example"), ct);
        }

        var shown = await admin.GetAsync<JsonElement>($"api/v1/rollouts/{Plan}", ct);
        say("   10 underwriters rated the answers; the gates of wave 2 now:");
        foreach (var gate in shown.GetProperty("gates").GetProperty("gates").EnumerateArray())
        {
            var measured = gate.GetProperty("measured").ValueKind == JsonValueKind.Number ? gate.GetProperty("measured").GetDouble().ToString("0.###", C) : "-";
            say($"     {gate.GetProperty("name").GetString(),-26} {measured,8} {gate.GetProperty("threshold").GetString(),-8} {(gate.GetProperty("passed").GetBoolean() ? "pass" : "FAIL")}  {gate.GetProperty("detail").GetString()}");
        }

        await ExpectRefusedAsync(asRetail, applications.Features[150], "retail-banking", say, ct);
        var second = await asOlivia.PostAsync<JsonElement>($"api/v1/rollouts/{Plan}/advance", new AdvanceRequest(), ct);
        say($"   advance -> {second.GetProperty("message").GetString()}");
        for (var i = 150; i < 190; i++)
        {
            var (client, who) = i % 2 == 0 ? (asRetail, $"advisor-{i % 8}@bank.example") : (asOps, $"analyst-{i % 5}@bank.example");
            await PredictAsync(client, applications.Features[i], who, ct);
        }

        say("   retail-banking's and operations' apps now served: 40 applications scored by 8 advisors and 5 analysts");

        await admin.PutAsync<CostModel>("api/v1/costs/models/*", new CostModelRequest("EUR", 0.60m, 2, 1500m, 0.50m), ct);
        await admin.PutAsync<DepartmentBudget>("api/v1/costs/budgets/risk", new BudgetRequest(2000m), ct);
        say("   cost model: 2 nodes at 0.60 EUR/h, 1,500 EUR a month fixed, 0.50 EUR per 1,000 predictions; risk's budget 2,000 EUR a month");
        var capacity = await asOlivia.PostAsync<CapacityResult>($"api/v1/endpoints/{Endpoint}/capacity", new CapacityRequest(4, "300ms"), ct);
        say($"   capacity test of {capacity.Target} (concurrency 1, 2, 4; 0.3 s each): {string.Join(", ", capacity.Points.Select(p => $"{p.Concurrency.ToString(C)} -> {p.Throughput.ToString("N0", C)}/s"))}; " +
            $"{capacity.CpuMillisecondsPerPrediction.ToString("0.###", C)} ms CPU per prediction" +
            (capacity.Model is { } m ? $"; USL sigma {m.Sigma.ToString("0.####", C)}, kappa {m.Kappa.ToString("0.######", C)}, peak {capacity.PeakThroughput.ToString("N0", C)}/s" : ""));

        var adoption = await admin.GetAsync<AdoptionView>("api/v1/adoption?weeks=4", ct);
        say($"   adoption: breadth {adoption.Breadth.ActiveDepartments} of {adoption.Breadth.Departments} departments, diversity {adoption.Diversity} use case, " +
            $"impact {string.Join(" + ", adoption.Impact.Select(i => $"{i.Value.ToString("N0", C)} {i.Unit}"))}");
        foreach (var d in adoption.Departments)
        {
            say($"     {d.Department,-15} {d.ActiveUsers7d,3} active of {d.Headcount,4} people (depth {(d.Depth7d ?? 0).ToString("P1", C)}), {d.Predictions,4} predictions");
        }

        var costs = await admin.GetAsync<CostView>("api/v1/costs", ct);
        say($"   cost this month, projected to 30 days: {costs.ProjectedMonthlyTotal.ToString("N2", C)} EUR, charged back: " +
            string.Join(", ", costs.Departments.Select(d => $"{d.Department} {d.ProjectedMonthlyCharge.ToString("N2", C)}{(d.OverBudget ? " (over budget)" : "")}")));
        foreach (var plan in costs.Projections)
        {
            var p = plan.Projection;
            say($"   projection to the whole plan: {p.PredictionsPerUserMonth.ToString("N0", C)} predictions per pilot user a month x the later waves' headcount -> " +
                $"{p.ProjectedMonthlyPredictions.ToString("N0", C)} a month, peak {p.PeakPerSecond.ToString("0.##", C)}/s, {p.ProjectedNodes} node(s), " +
                $"{p.ProjectedMonthlyCost.ToString("N2", C)} EUR a month" + (p.GrowthFactor is { } g ? $" (x{g.ToString("0.00", C)} the pilot's cost)" : ""));
        }

        var report = Path.Combine(folder, "executive-report.html");
        await File.WriteAllTextAsync(report, await admin.GetStringAsync("api/v1/report/html?weeks=4", ct), ct);
        say($"   executive report written to {report}");
    }

    private static async Task ExpectRefusedAsync(EscalaClient app, double[] features, string department, Action<string> say, CancellationToken ct)
    {
        try
        {
            await PredictAsync(app, features, "advisor-0@bank.example", ct);
            throw new CliException($"{department} was served before its wave; department routing is broken.");
        }
        catch (CliException refused) when (refused.Message.Contains("not-deployed", StringComparison.Ordinal))
        {
            say($"   {department}'s app before its wave -> refused: {refused.Message}");
        }
    }

    private static async Task PredictAsync(EscalaClient app, double[] features, string user, CancellationToken ct)
    {
        var record = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var j = 0; j < features.Length; j++)
        {
            record[CreditApplications.FeatureNames[j]] = Math.Round(features[j], 4);
        }

        await app.SendWithStatusAsync<JsonElement>(() =>
        {
            var request = EscalaClient.WithJson(HttpMethod.Post, $"v1/endpoints/{Endpoint}/predict", new { records = new[] { record } });
            request.Headers.Add("X-Escala-User", user);
            return request;
        }, ct);
    }
}

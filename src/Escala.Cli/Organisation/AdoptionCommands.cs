using System.CommandLine;
using System.Globalization;
using Escala.Cli.Client;
using Escala.Core.Adoption;
using Escala.Core.Capacity;
using Escala.Core.Costs;
using Escala.Core.Satisfaction;
using Escala.Server.Organisation;
using Spectre.Console;

namespace Escala.Cli.Organisation;

/// <summary><c>escala adoption</c>, <c>costs</c>, <c>satisfaction</c>, <c>capacity</c> and <c>report</c>: what the organisation gets from its models.</summary>
public static class AdoptionCommands
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary><c>escala adoption [--by department|usecase] [--weeks 12] [--json] [--html F]</c>.</summary>
    public static Command Adoption()
    {
        var by = new Option<string>("--by") { Description = "department (default) or usecase.", DefaultValueFactory = _ => "department" };
        var weeks = new Option<int>("--weeks") { Description = "Complete weeks of history for volume, impact and the trend (default 12).", DefaultValueFactory = _ => 12 };
        var json = ClientOptions.Json;
        var html = new Option<FileInfo?>("--html") { Description = "Also write the adoption section of the executive report as an HTML page." };
        var command = new Command("adoption", "Breadth, depth, diversity, impact and sustainability of AI use.") { by, weeks, json, html };
        return command.WithClientOptions().Runs(async (cli, ct) =>
        {
            var byValue = cli.Get(by);
            if (byValue is not ("department" or "usecase"))
            {
                throw new CliException($"--by must be department or usecase; got '{byValue}'.");
            }

            var path = $"api/v1/adoption?weeks={cli.Get(weeks).ToString(Invariant)}";
            if (cli.Get(html) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, await cli.Client.GetStringAsync($"api/v1/report/html?weeks={cli.Get(weeks).ToString(Invariant)}&sections=adoption", ct), ct);
            }

            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync(path, ct));
                return;
            }

            var view = await cli.Client.GetAsync<AdoptionView>(path, ct);
            cli.Line($"Adoption {view.From:yyyy-MM-dd} to {view.To:yyyy-MM-dd}: breadth {view.Breadth.ActiveDepartments} of {view.Breadth.Departments} departments ({view.Breadth.Value:P0}), " +
                $"diversity {view.Diversity} use case(s) with traffic, impact {Impact(view.Impact)}.");
            if (byValue == "department")
            {
                var table = new Table().AddColumns("department", "headcount", "active 7d", "depth 7d", "active 28d", "depth 28d", "predictions", "impact");
                foreach (var d in view.Departments)
                {
                    table.AddRow(d.Department, d.Headcount.ToString("N0", Invariant), d.ActiveUsers7d.ToString("N0", Invariant), Percent(d.Depth7d),
                        d.ActiveUsers28d.ToString("N0", Invariant), Percent(d.Depth28d), d.Predictions.ToString("N0", Invariant), Markup.Escape(Impact(d.Impact)));
                }

                cli.Console.Write(table);
            }
            else
            {
                var table = new Table().AddColumns("use case", "endpoints", "departments", "predictions", "active users", "value", "impact");
                foreach (var u in view.UseCases)
                {
                    table.AddRow(u.UseCase, string.Join(", ", u.Endpoints), u.Departments.Count == 0 ? "-" : string.Join(", ", u.Departments), u.Predictions.ToString("N0", Invariant),
                        u.ActiveUsers.ToString("N0", Invariant), Markup.Escape($"{u.ValuePerPrediction.ToString(Invariant)} {u.Unit}"), Markup.Escape($"{u.Impact.ToString("N2", Invariant)} {u.Unit}"));
                }

                cli.Console.Write(table);
            }

            var s = view.Sustainability;
            cli.Line($"Sustainability over {s.Weeks.Count} complete weeks: users {Trend(s.Users)}, volume {Trend(s.Volume)}; this week so far {s.CurrentWeek.ActiveUsers} users, {s.CurrentWeek.Predictions} predictions.");
        });
    }

    /// <summary><c>escala costs [--by department] [--json]</c>, <c>costs model SCOPE ...</c>, <c>costs budget DEPARTMENT AMOUNT</c>.</summary>
    public static Command Costs()
    {
        var by = new Option<string?>("--by") { Description = "department: the chargeback per department." };
        var json = ClientOptions.Json;
        var command = new Command("costs", "This month's cost projected to 30 days, chargeback per department, budgets and the projection of each rollout plan.") { by, json };
        command.WithClientOptions();
        command.Subcommands.Add(CostModelCommand());
        command.Subcommands.Add(BudgetCommand());
        return command.Runs(async (cli, ct) =>
        {
            if (cli.Get(by) is { } b && b != "department")
            {
                throw new CliException($"--by must be department; got '{b}'.");
            }

            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync("api/v1/costs", ct));
                return;
            }

            var view = await cli.Client.GetAsync<CostView>("api/v1/costs", ct);
            cli.Line($"Costs from {view.MonthStart:yyyy-MM-dd} ({view.DaysElapsed} day(s)), projected to a 30-day month: {view.ProjectedMonthlyTotal.ToString("N2", Invariant)} {view.Currency}.");
            foreach (var p in view.Pools)
            {
                cli.Line($"  pool {p.Scope}: {p.PredictionsToDate:N0} predictions so far, {p.ProjectedPredictions:N0} projected, {p.ProjectedMonthlyCost.ToString("N2", Invariant)} {view.Currency}" +
                    (p.CostPer1000 is { } c ? $" ({c.ToString("0.####", Invariant)} per 1,000 predictions)" : ""));
            }

            if (cli.Get(by) == "department" || view.Departments.Count > 0)
            {
                var table = new Table().AddColumns("department", "predictions", "charge (month)", "budget", "over budget");
                foreach (var d in view.Departments)
                {
                    table.AddRow(d.Department, d.PredictionsToDate.ToString("N0", Invariant), d.ProjectedMonthlyCharge.ToString("N2", Invariant),
                        d.MonthlyBudget?.ToString("N2", Invariant) ?? "-", d.OverBudget ? "YES" : "no");
                }

                cli.Console.Write(table);
                cli.Line($"Chargeback total {view.Departments.Sum(d => d.ProjectedMonthlyCharge).ToString("N2", Invariant)} {view.Currency} (equals the pools' total).");
            }

            foreach (var v in view.Versions)
            {
                cli.Line($"  {v.Version} on {v.Endpoint}: {v.CpuMillisecondsPerPrediction.ToString("0.###", Invariant)} ms CPU per prediction = {v.CpuCostPer1000.ToString("0.######", Invariant)} {view.Currency} per 1,000; peak {v.PeakThroughput.ToString("N0", Invariant)}/s per node.");
            }

            foreach (var plan in view.Projections)
            {
                var p = plan.Projection;
                cli.Line($"Projection of {plan.Plan} ({plan.ServedWaves} of {plan.Waves} waves served) to the whole organisation: {p.PilotMonthlyPredictions:N0} -> {p.ProjectedMonthlyPredictions:N0} predictions a month " +
                    $"({p.PredictionsPerUserMonth.ToString("N1", Invariant)} per active user), peak {p.PeakPerSecond.ToString("0.##", Invariant)}/s, nodes {p.PilotNodes} -> {p.ProjectedNodes}, " +
                    $"cost {p.PilotMonthlyCost.ToString("N2", Invariant)} -> {p.ProjectedMonthlyCost.ToString("N2", Invariant)} {view.Currency} a month" +
                    (p.GrowthFactor is { } g ? $": x{g.ToString("0.00", Invariant)} (pilots typically understate production cost 3-5x)." : "."));
            }
        });
    }

    private static Command CostModelCommand()
    {
        var scope = new Argument<string>("scope") { Description = "* for the installation, or a use case." };
        var currency = new Option<string>("--currency") { Description = "Currency code (default EUR).", DefaultValueFactory = _ => "EUR" };
        var node = new Option<decimal>("--node-cost-per-hour") { Description = "What one node costs per hour." };
        var nodes = new Option<int>("--nodes") { Description = "Nodes running now." };
        var fixedMonthly = new Option<decimal>("--fixed-monthly") { Description = "Fixed costs per month." };
        var per1000 = new Option<decimal>("--price-per-1000") { Description = "Price per 1,000 predictions." };
        var command = new Command("model", "Set the cost model of the installation (*) or of a use case (admin).") { scope, currency, node, nodes, fixedMonthly, per1000 };
        return command.Runs(async (cli, ct) =>
        {
            var model = await cli.Client.PutAsync<CostModel>($"api/v1/costs/models/{Uri.EscapeDataString(cli.Get(scope)!)}",
                new CostModelRequest(cli.Get(currency)!, cli.Get(node), cli.Get(nodes), cli.Get(fixedMonthly), cli.Get(per1000)), ct);
            cli.Line($"Cost model {model.Scope}: {model.Nodes} node(s) at {model.NodeCostPerHour.ToString(Invariant)}/h, {model.FixedMonthly.ToString(Invariant)} fixed a month, " +
                $"{model.PricePer1000.ToString(Invariant)} per 1,000 predictions ({model.Currency}).");
        });
    }

    private static Command BudgetCommand()
    {
        var department = new Argument<string>("department") { Description = "The department." };
        var amount = new Argument<decimal>("amount") { Description = "Its monthly budget." };
        var command = new Command("budget", "Set a department's monthly budget (admin).") { department, amount };
        return command.Runs(async (cli, ct) =>
        {
            var budget = await cli.Client.PutAsync<DepartmentBudget>($"api/v1/costs/budgets/{Uri.EscapeDataString(cli.Get(department)!)}", new BudgetRequest(cli.Get(amount)), ct);
            cli.Line($"Budget of {budget.Department}: {budget.Monthly.ToString("N2", Invariant)} a month.");
        });
    }

    /// <summary><c>escala satisfaction ENDPOINT [--json]</c>.</summary>
    public static Command Satisfaction()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint." };
        var json = ClientOptions.Json;
        var command = new Command("satisfaction", "Users' ratings of an endpoint per department and version, and per week.") { endpoint, json };
        return command.WithClientOptions().Runs(async (cli, ct) =>
        {
            var path = $"api/v1/endpoints/{Uri.EscapeDataString(cli.Get(endpoint)!)}/satisfaction";
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync(path, ct));
                return;
            }

            var view = await cli.Client.GetAsync<SatisfactionView>(path, ct);
            cli.Line($"{view.Endpoint}: {view.Ratings} rating(s) since {view.Since:yyyy-MM-dd}, mean {(view.Mean is { } m ? m.ToString("0.00", Invariant) : "-")} of 5.");
            var table = new Table().AddColumns("department", "version", "ratings", "mean");
            foreach (var g in view.ByDepartmentAndVersion)
            {
                table.AddRow(g.Department ?? "-", g.Version ?? "-", g.Ratings.ToString(Invariant), g.Mean.ToString("0.00", Invariant));
            }

            cli.Console.Write(table);
            foreach (var w in view.Weeks)
            {
                cli.Line($"  week of {w.Start:yyyy-MM-dd}: {w.Ratings} rating(s), mean {w.Mean.ToString("0.00", Invariant)}");
            }
        });
    }

    /// <summary><c>escala capacity ENDPOINT [--max-concurrency N] [--duration 5s] [--version V] [--json]</c>.</summary>
    public static Command Capacity()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint." };
        var max = new Option<int>("--max-concurrency") { Description = "The highest concurrency (3-64, default 8); levels are 1, 2, 4 ... max.", DefaultValueFactory = _ => 8 };
        var duration = new Option<string>("--duration") { Description = "How long each level runs (default 5s).", DefaultValueFactory = _ => "5s" };
        var version = new Option<string?>("--version") { Description = "The version to test (default: the one serving by default)." };
        var headroom = new Option<double>("--headroom") { Description = "Share of each node's peak kept free (default 0.3).", DefaultValueFactory = _ => NodePlan.DefaultHeadroom };
        var json = ClientOptions.Json;
        var command = new Command("capacity", "Run a bounded load test at rising concurrency on the server, fit the Universal Scalability Law and size the organisation-wide peak.")
        {
            endpoint, max, duration, version, headroom, json,
        };
        return command.WithClientOptions().Runs(async (cli, ct) =>
        {
            var path = $"api/v1/endpoints/{Uri.EscapeDataString(cli.Get(endpoint)!)}/capacity";
            var result = await cli.Client.PostAsync<CapacityResult>(path, new CapacityRequest(cli.Get(max), cli.Get(duration)!, cli.Get(version)), ct);
            if (cli.Get(json))
            {
                cli.WriteJson(System.Text.Json.JsonSerializer.SerializeToElement(result, Core.Audit.AuditJson.Options));
                return;
            }

            var table = new Table().AddColumns("concurrency", "predictions/s", "USL model");
            foreach (var p in result.Points)
            {
                table.AddRow(p.Concurrency.ToString(Invariant), p.Throughput.ToString("N0", Invariant), result.Model is { } m ? m.ThroughputAt(p.Concurrency).ToString("N0", Invariant) : "-");
            }

            cli.Console.Write(table);
            if (result.Model is { } model)
            {
                cli.Line($"USL fit: sigma {model.Sigma.ToString("0.#####", Invariant)} (contention), kappa {model.Kappa.ToString("0.#######", Invariant)} (coherency), lambda {model.Lambda.ToString("N1", Invariant)}/s; " +
                    $"peak {model.PeakThroughput.ToString("N0", Invariant)}/s at concurrency {(model.PeakConcurrency is { } n ? n.ToString(Invariant) : "none (no retrograde)")}.");
            }

            cli.Line($"{result.Target}: {result.CpuMillisecondsPerPrediction.ToString("0.###", Invariant)} ms CPU per prediction, {result.Failures} failure(s); stored with the version.");
            var costs = await cli.Client.GetAsync<CostView>("api/v1/costs", ct);
            foreach (var plan in costs.Projections)
            {
                var nodes = NodePlan.NodesNeeded(plan.Projection.PeakPerSecond, result.PeakThroughput, cli.Get(headroom));
                cli.Line($"For {plan.Plan} at full scale (peak {plan.Projection.PeakPerSecond.ToString("0.##", Invariant)}/s): {nodes} node(s) with {cli.Get(headroom):P0} headroom.");
            }
        });
    }

    /// <summary><c>escala report --html F [--json] [--weeks 12]</c>.</summary>
    public static Command Report()
    {
        var html = new Option<FileInfo?>("--html") { Description = "Write the report as a standalone, printable HTML page." };
        var weeks = new Option<int>("--weeks") { Description = "Weeks of adoption history (default 12).", DefaultValueFactory = _ => 12 };
        var json = ClientOptions.Json;
        var command = new Command("report", "The executive report: waves and gates, adoption, impact, cost and projection, satisfaction, incidents and uptime.") { html, weeks, json };
        return command.WithClientOptions().Runs(async (cli, ct) =>
        {
            var query = $"?weeks={cli.Get(weeks).ToString(Invariant)}";
            if (cli.Get(html) is null && !cli.Get(json))
            {
                throw new CliException("report needs --html FILE or --json.");
            }

            if (cli.Get(html) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, await cli.Client.GetStringAsync($"api/v1/report/html{query}", ct), ct);
                cli.Line($"Wrote the executive report to {file.FullName}.");
            }

            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync($"api/v1/report{query}", ct));
            }
        });
    }

    private static string Percent(double? value) => value is { } v ? v.ToString("P0", Invariant) : "-";

    private static string Impact(IReadOnlyList<ImpactTotal> impact) =>
        impact.Count == 0 ? "none" : string.Join(" + ", impact.Select(i => $"{i.Value.ToString("N2", Invariant)} {i.Unit}"));

    private static string Trend(TrendTest t) =>
        t.Trend == Core.Adoption.Trend.Insufficient ? "not enough weeks to test" : $"{t.Trend.ToString().ToLowerInvariant()} (Mann-Kendall S={t.S}, p={t.PValue.ToString("0.###", Invariant)})";
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Escala.Cli.Client;
using Escala.Server.Organisation;
using Spectre.Console;

namespace Escala.Cli.Organisation;

/// <summary><c>escala rollouts create|list|show|check|advance|rollback</c>: rollout plans in waves of departments.</summary>
public static class RolloutPlansCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var group = new Command("rollouts", "Rollout plans: a version taken to the organisation in waves of departments, each gated by readiness and the previous waves' KPIs.")
            .WithClientOptions();
        group.Subcommands.Add(New());
        group.Subcommands.Add(List());
        group.Subcommands.Add(Show());
        group.Subcommands.Add(Check());
        group.Subcommands.Add(Step(advance: true));
        group.Subcommands.Add(Step(advance: false));
        return group;
    }

    private static Command New()
    {
        var name = new Argument<string>("name") { Description = "The plan's name." };
        var useCase = new Option<string>("--usecase") { Description = "The use case it rolls out.", Required = true };
        var endpoint = new Option<string>("--endpoint") { Description = "The endpoint whose department rules it sets.", Required = true };
        var version = new Option<string>("--version") { Description = "The version to roll out, MODEL:VERSION.", Required = true };
        var waves = new Option<string[]>("--wave") { Description = "A wave: departments separated by commas, or '*' for the rest of the organisation (repeat, in order).", Required = true };
        var soak = new Option<string?>("--soak") { Description = "How long a wave serves before the next may (default 24h; 0s for none)." };
        var gates = new Option<string[]>("--gate") { Description = "A KPI gate such as error_rate<=0.01 or adoption_depth>=0.3 (repeat; replaces the defaults)." };
        var auto = new Option<bool>("--auto") { Description = "Advance by itself once every gate holds." };
        var command = new Command("create", "Create a plan; no wave serves until the first advance (operator).") { name, useCase, endpoint, version, waves, soak, gates, auto };
        return command.Runs(async (cli, ct) =>
        {
            var plan = await cli.Client.PostAsync<JsonElement>("api/v1/rollouts",
                new CreateRolloutRequest(cli.Get(name)!, cli.Get(useCase)!, cli.Get(endpoint)!, cli.Get(version)!, cli.Get(waves) ?? [], cli.Get(soak),
                    cli.Get(gates) is { Length: > 0 } g ? g : null, cli.Get(auto)), ct);
            cli.Line($"Created rollout plan {plan.GetProperty("name").GetString()}: {plan.GetProperty("target").GetString()} in waves {Waves(plan)}; no wave serves yet.");
        });
    }

    private static Command List()
    {
        var json = ClientOptions.Json;
        var command = new Command("list", "List rollout plans.") { json };
        return command.Runs(async (cli, ct) =>
        {
            var plans = await cli.Client.GetJsonAsync("api/v1/rollouts", ct);
            if (cli.Get(json))
            {
                cli.WriteJson(plans);
                return;
            }

            var table = new Table().AddColumns("plan", "use case", "endpoint", "version", "waves", "served");
            foreach (var p in plans.EnumerateArray())
            {
                table.AddRow(Str(p, "name"), Str(p, "useCase"), Str(p, "endpoint"), Str(p, "target"), Waves(p),
                    $"{p.GetProperty("served").GetInt32()}/{p.GetProperty("waves").GetArrayLength()}");
            }

            cli.Console.Write(table);
        });
    }

    private static Command Show()
    {
        var name = new Argument<string>("plan") { Description = "The plan." };
        var json = ClientOptions.Json;
        var command = new Command("show", "Show a plan and every gate of its next wave: measured value, threshold, verdict.") { name, json };
        return command.Runs(async (cli, ct) =>
        {
            var view = await cli.Client.GetJsonAsync($"api/v1/rollouts/{Uri.EscapeDataString(cli.Get(name)!)}", ct);
            if (cli.Get(json))
            {
                cli.WriteJson(view);
                return;
            }

            var plan = view.GetProperty("plan");
            var gates = view.GetProperty("gates");
            var served = plan.GetProperty("served").GetInt32();
            cli.Line($"{Str(plan, "name")}: {Str(plan, "target")} on {Str(plan, "endpoint")} (use case {Str(plan, "useCase")}), waves {Waves(plan)}; {served} of {plan.GetProperty("waves").GetArrayLength()} served.");
            if (gates.GetProperty("nextWave").ValueKind == JsonValueKind.Null)
            {
                cli.Line("Every wave serves: the plan is finished.");
                return;
            }

            cli.Line($"Next: wave {gates.GetProperty("nextWave").GetInt32()} ({string.Join(", ", gates.GetProperty("departments").EnumerateArray().Select(d => d.GetString()))}).");
            var table = new Table().AddColumns("gate", "measured", "threshold", "verdict", "detail");
            foreach (var g in gates.GetProperty("gates").EnumerateArray())
            {
                var measured = g.GetProperty("measured").ValueKind == JsonValueKind.Number ? g.GetProperty("measured").GetDouble().ToString("0.####", CultureInfo.InvariantCulture) : "-";
                table.AddRow(new Text(Str(g, "name")), new Text(measured), new Text(Str(g, "threshold")),
                    new Text(g.GetProperty("passed").GetBoolean() ? "pass" : "FAIL"), new Text(Str(g, "detail")));
            }

            cli.Console.Write(table);
        });
    }

    private static Command Check()
    {
        var plan = new Argument<string>("plan") { Description = "The plan." };
        var department = new Argument<string>("department") { Description = "The department the item is ticked for." };
        var item = new Argument<string>("item") { Description = "budget, champions, use-cases, training, support, sponsorship or success-metrics." };
        var note = new Option<string?>("--note") { Description = "Evidence: a note or a link." };
        var undo = new Option<bool>("--undo") { Description = "Untick the item." };
        var command = new Command("check", "Tick (or untick) a readiness item for a department (operator).") { plan, department, item, note, undo };
        return command.Runs(async (cli, ct) =>
        {
            var after = await cli.Client.PostAsync<JsonElement>($"api/v1/rollouts/{Uri.EscapeDataString(cli.Get(plan)!)}/checklist",
                new ChecklistRequest(cli.Get(department)!, cli.Get(item)!, cli.Get(note), cli.Get(undo)), ct);
            var ticked = after.GetProperty("checklist").EnumerateArray().Count(t => string.Equals(Str(t, "department"), cli.Get(department), StringComparison.OrdinalIgnoreCase));
            cli.Line($"{(cli.Get(undo) ? "Unticked" : "Ticked")} {cli.Get(item)} for {cli.Get(department)} in {cli.Get(plan)}: {ticked} of 7 items ticked.");
        });
    }

    private static Command Step(bool advance)
    {
        var plan = new Argument<string>("plan") { Description = "The plan." };
        var reason = new Option<string?>("--override") { Description = "Advance although gates fail, with the reason (admin; audited)." };
        var command = advance
            ? new Command("advance", "Serve the next wave; refused while a gate fails (operator).") { plan, reason }
            : new Command("rollback", "Take the last served wave back (operator).") { plan };
        return command.Runs(async (cli, ct) =>
        {
            var path = $"api/v1/rollouts/{Uri.EscapeDataString(cli.Get(plan)!)}/{(advance ? "advance" : "rollback")}";
            var step = await cli.Client.PostAsync<JsonElement>(path, advance ? new AdvanceRequest(cli.Get(reason)) : new { }, ct);
            cli.Line($"{cli.Get(plan)}: {Str(step, "message")}.");
        });
    }

    private static string Str(JsonElement e, string property) => e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "-";

    private static string Waves(JsonElement plan) =>
        string.Join(" | ", plan.GetProperty("waves").EnumerateArray().Select(w => string.Join(",", w.GetProperty("departments").EnumerateArray().Select(d => d.GetString()))));
}

using System.CommandLine;
using System.Globalization;
using Escala.Cli.Client;
using Escala.Core.Monitoring.Alerts;
using Escala.Server.Monitoring;
using Escala.Server.Monitoring.Alerts;
using Spectre.Console;

namespace Escala.Cli.Monitoring;

/// <summary><c>escala alerts list</c> and <c>escala alerts rules list|add|remove</c>.</summary>
public static class AlertsCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var alerts = new Command("alerts", "Alert history and alert rules.").WithClientOptions();
        alerts.Subcommands.Add(List());
        var rules = new Command("rules", "Alert rules on drift, accuracy, errors, latency and the SLO.");
        rules.Subcommands.Add(ListRules());
        rules.Subcommands.Add(Add());
        rules.Subcommands.Add(Remove());
        alerts.Subcommands.Add(rules);
        return alerts;
    }

    private static Command List()
    {
        var endpoint = new Option<string?>("--endpoint") { Description = "Only this endpoint's alerts." };
        var limit = new Option<int>("--limit") { Description = "At most this many events (1-1000).", DefaultValueFactory = _ => 50 };
        var json = ClientOptions.Json;
        var command = new Command("list", "List alert events (fired and resolved), newest first, with their webhook delivery.") { endpoint, limit, json };
        return command.Runs(async (cli, ct) =>
        {
            var path = $"api/v1/alerts?limit={cli.Get(limit).ToString(CultureInfo.InvariantCulture)}" + (cli.Get(endpoint) is { } e ? $"&endpoint={Uri.EscapeDataString(e)}" : "");
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync(path, ct));
                return;
            }

            var events = await cli.Client.GetAsync<AlertEvent[]>(path, ct, MonitoringJson.Options);
            if (events.Length == 0)
            {
                cli.Line("No alert has fired.");
                return;
            }

            var table = new Table().AddColumns("id", "at", "event", "severity", "endpoint", "version", "rule", "value", "delivery", "detail");
            foreach (var a in events)
            {
                table.AddRow(Cell(a.Id), Cell($"{a.At:u}"), Cell(a.Kind == AlertTransitionKind.Fired ? "FIRED" : "resolved"), Cell(a.Severity.ToString().ToLowerInvariant()),
                    Cell(a.Endpoint), Cell(a.Series.Length == 0 ? "-" : a.Series), Cell($"{a.Rule} ({a.Metric})"),
                    Cell(double.IsFinite(a.Value) ? a.Value.ToString("G4", CultureInfo.InvariantCulture) : "-"),
                    Cell(a.Delivery == DeliveryStatus.Failed ? $"failed: {a.LastError}" : a.Delivery.ToString().ToLowerInvariant()), Cell(a.Detail));
            }

            cli.Console.Write(table);
        });
    }

    private static Command ListRules()
    {
        var endpoint = new Option<string?>("--endpoint") { Description = "Only this endpoint's rules." };
        var json = ClientOptions.Json;
        var command = new Command("list", "List alert rules.") { endpoint, json };
        return command.Runs(async (cli, ct) =>
        {
            var path = "api/v1/alerts/rules" + (cli.Get(endpoint) is { } e ? $"?endpoint={Uri.EscapeDataString(e)}" : "");
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync(path, ct));
                return;
            }

            var table = new Table().AddColumns("id", "endpoint", "name", "when", "severity", "for", "webhooks");
            foreach (var r in await cli.Client.GetAsync<AlertRuleSpec[]>(path, ct, MonitoringJson.Options))
            {
                table.AddRow(Cell(r.Id), Cell(r.Endpoint), Cell(r.Name), Cell(Describe(r)), Cell(r.Severity.ToString().ToLowerInvariant()),
                    Cell(r.ForSeconds == 0 ? "-" : $"{r.ForSeconds} s"), Cell(r.Webhooks.Count == 0 ? "-" : string.Join(" ", r.Webhooks)));
            }

            cli.Console.Write(table);
        });
    }

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "The rule's name (unique per endpoint)." };
        var endpoint = new Option<string>("--endpoint") { Description = "The endpoint watched.", Required = true };
        var metric = new Option<string>("--metric") { Description = $"What is watched: {string.Join(", ", AlertMetrics.AllNames)}.", Required = true };
        var above = new Option<double?>("--above") { Description = "Fire when the value is above this." };
        var below = new Option<double?>("--below") { Description = "Fire when the value is below this." };
        var severity = new Option<string>("--severity") { Description = "info, warning or critical.", DefaultValueFactory = _ => "warning" };
        severity.AcceptOnlyFromAmong("info", "warning", "critical");
        var feature = new Option<string?>("--feature") { Description = "For drift.score: the feature." };
        var accuracy = new Option<string?>("--accuracy-metric") { Description = "For accuracy.drop and accuracy.value: accuracy, precision, recall, f1, auc, log_loss, mae, rmse or r2." };
        var lookback = new Option<string?>("--lookback") { Description = "The period a rate, latency, SLO or ground-truth value covers (e.g. 5m, 1h)." };
        var duration = new Option<string?>("--for") { Description = "Fire only after the threshold has been breached this long (e.g. 10m)." };
        var resolveAt = new Option<double?>("--resolve-at") { Description = "Resolve only once the value is back past this (hysteresis)." };
        var resolveFor = new Option<string?>("--resolve-for") { Description = "Resolve only after the value has been healthy this long." };
        var webhooks = new Option<string[]>("--webhook") { Description = "A URL that receives each fire and resolve event as JSON (repeatable, at most 5)." };
        var json = ClientOptions.Json;
        var command = new Command("add", "Add an alert rule.")
        {
            name, endpoint, metric, above, below, severity, feature, accuracy, lookback, duration, resolveAt, resolveFor, webhooks, json,
        };
        return command.Runs(async (cli, ct) =>
        {
            if (cli.Get(above) is null == cli.Get(below) is null)
            {
                throw new CliException("Give exactly one of --above or --below.");
            }

            var request = new AlertRuleRequest(
                cli.Get(endpoint)!,
                cli.Get(name)!,
                cli.Get(metric)!,
                cli.Get(above) ?? cli.Get(below)!.Value,
                cli.Get(above) is null ? "lessThan" : "greaterThan",
                cli.Get(severity),
                cli.Get(feature),
                cli.Get(accuracy),
                cli.Get(lookback) is { } l ? MonitoringCommand.Seconds(l, "--lookback") : null,
                cli.Get(duration) is { } d ? MonitoringCommand.Seconds(d, "--for") : 0,
                cli.Get(resolveAt),
                cli.Get(resolveFor) is { } r ? MonitoringCommand.Seconds(r, "--resolve-for") : 0,
                cli.Get(webhooks) ?? []);
            var added = await cli.Client.PostAsync<AlertRuleSpec>("api/v1/alerts/rules", request, ct, MonitoringJson.Options);
            if (cli.Get(json))
            {
                cli.WriteJson(System.Text.Json.JsonSerializer.SerializeToElement(added, MonitoringJson.Options));
                return;
            }

            cli.Line($"Added alert rule {added.Id} on {added.Endpoint}: '{added.Name}' fires ({added.Severity.ToString().ToLowerInvariant()}) when {Describe(added)}.");
        });
    }

    private static Command Remove()
    {
        var id = new Argument<long>("id") { Description = "The rule's id (see `escala alerts rules list`)." };
        var command = new Command("remove", "Remove an alert rule; its past events stay in the history.") { id };
        return command.Runs(async (cli, ct) =>
        {
            await cli.Client.DeleteAsync($"api/v1/alerts/rules/{cli.Get(id).ToString(CultureInfo.InvariantCulture)}", ct);
            cli.Line($"Removed alert rule {cli.Get(id)}.");
        });
    }

    private static string Describe(AlertRuleSpec rule)
    {
        var c = CultureInfo.InvariantCulture;
        var comparison = rule.Comparison switch
        {
            AlertComparison.GreaterThan => ">",
            AlertComparison.GreaterOrEqual => ">=",
            AlertComparison.LessThan => "<",
            _ => "<=",
        };
        var over = AlertMetrics.HasLookback(rule.Metric) ? $" over {Core.Monitoring.Settings.WindowSetting.Describe(rule.Lookback)}" : "";
        return string.Create(c, $"{rule.MetricName}{over} {comparison} {rule.Threshold}");
    }

    private static Markup Cell(object? value) => new(Markup.Escape(value switch
    {
        null => "-",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "-",
    }));
}

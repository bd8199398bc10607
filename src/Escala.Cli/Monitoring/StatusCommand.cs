using System.CommandLine;
using System.Globalization;
using Escala.Cli.Client;
using Escala.Core.Monitoring.Status;
using Escala.Server.Monitoring;
using Spectre.Console;

namespace Escala.Cli.Monitoring;

/// <summary><c>escala status ENDPOINT</c>: availability against the SLO, uptime, error budget and incidents.</summary>
public static class StatusCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint." };
        var html = new Option<FileInfo?>("--html") { Description = "Save the status page as HTML." };
        var json = ClientOptions.Json;
        var command = new Command("status", "Show an endpoint's availability against its SLO, uptime and incidents.") { endpoint, html, json };
        command.WithClientOptions();
        return command.Runs(async (cli, ct) =>
        {
            var path = $"{MonitoringCommand.PathOf(cli.Get(endpoint)!)}/status";
            if (cli.Get(html) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, await cli.Client.GetStringAsync(path + "/html", ct), ct);
            }

            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync(path, ct));
                return;
            }

            var s = await cli.Client.GetAsync<EndpointStatus>(path, ct, MonitoringJson.Options);
            var c = CultureInfo.InvariantCulture;
            var open = s.Incidents.Count(i => i.ResolvedAt is null);
            cli.Line($"{s.Endpoint}: {(open > 0 ? $"{open} alert(s) firing" : s.MeetsObjective ? "operational" : "below objective")}");
            cli.Line(string.Create(c, $"availability {s.Availability * 100:0.000}% over {s.Slo.PeriodDays} days (objective {s.Slo.Target * 100:0.###}%), error budget left {s.ErrorBudgetRemaining * 100:0.#}%"));
            cli.Line(string.Create(c, $"uptime {s.Uptime * 100:0.##}% of {s.HoursWithTraffic} hours with traffic; burn rate {s.BurnRate5m:0.##} (5 min), {s.BurnRate1h:0.##} (1 h)"));
            cli.Line(string.Create(c, $"{s.Requests:N0} requests: {s.Errors:N0} failed, {s.Fallbacks:N0} answered by a fallback, {s.Rejected:N0} refused"));
            if (s.Incidents.Count > 0)
            {
                var table = new Table().AddColumns("fired", "resolved", "severity", "rule", "version", "detail");
                foreach (var i in s.Incidents)
                {
                    table.AddRow(new Text($"{i.FiredAt:u}"), new Text(i.ResolvedAt is { } r ? $"{r:u}" : "FIRING"), new Text(i.Severity.ToString().ToLowerInvariant()),
                        new Text(i.Rule), new Text(i.Series.Length == 0 ? "-" : i.Series), new Text(i.Detail ?? ""));
                }

                cli.Console.Write(table);
            }

            if (cli.Get(html) is { } saved)
            {
                cli.Line($"Status page: {saved.FullName}");
            }
        });
    }
}

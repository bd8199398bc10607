using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Escala.Cli.Client;

namespace Escala.Cli.Governance;

/// <summary><c>escala privacy show|set|erase ENDPOINT</c>: personal data in an endpoint's prediction log.</summary>
public static class PrivacyCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var command = new Command("privacy", "Personal data in an endpoint's prediction log: field policies, retention, erasure by subject.");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Set());
        command.Subcommands.Add(Erase());
        return command;
    }

    private static Command Show()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint." };
        var json = ClientOptions.Json;
        var command = new Command("show", "Show the endpoint's field policies and retention.") { endpoint, json };
        command.WithClientOptions();
        return command.Runs(async (cli, ct) =>
        {
            var policy = await cli.Client.GetJsonAsync($"api/v1/endpoints/{Uri.EscapeDataString(cli.Get(endpoint)!)}/privacy", ct);
            Print(cli, policy, cli.Get(json));
        });
    }

    private static Command Set()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint." };
        var fields = new Option<string[]>("--field") { Description = "FIELD=POLICY, POLICY one of keep, drop, hash, mask, mask:PREFIX:SUFFIX (repeat the option).", AllowMultipleArgumentsPerToken = true };
        var predictions = new Option<int?>("--retain-predictions-days") { Description = "Delete logged predictions older than this many days." };
        var labels = new Option<int?>("--retain-labels-days") { Description = "Delete ground-truth labels of predictions older than this many days." };
        var satisfaction = new Option<int?>("--retain-satisfaction-days") { Description = "Delete satisfaction ratings older than this many days." };
        var json = ClientOptions.Json;
        var command = new Command("set", "Replace the endpoint's policy; it applies to every line logged from now on.") { endpoint, fields, predictions, labels, satisfaction, json };
        command.WithClientOptions();
        return command.Runs(async (cli, ct) =>
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var spec in cli.Get(fields) ?? [])
            {
                var eq = spec.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || eq == spec.Length - 1)
                {
                    throw new CliException($"--field takes FIELD=POLICY (e.g. email=hash); got '{spec}'.");
                }

                map[spec[..eq]] = spec[(eq + 1)..];
            }

            var body = new
            {
                fields = map,
                retention = new { predictionsDays = cli.Get(predictions), labelsDays = cli.Get(labels), satisfactionDays = cli.Get(satisfaction) },
            };
            var policy = await cli.Client.PutAsync<JsonElement>($"api/v1/endpoints/{Uri.EscapeDataString(cli.Get(endpoint)!)}/privacy", body, ct);
            Print(cli, policy, cli.Get(json));
        });
    }

    private static Command Erase()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint." };
        var subject = new Option<string>("--subject") { Description = "The subject key whose logged predictions and labels are deleted.", Required = true };
        var json = ClientOptions.Json;
        var command = new Command("erase", "Delete a subject's logged predictions and labels (the audit log records the counts, not the subject).") { endpoint, subject, json };
        command.WithClientOptions();
        return command.Runs(async (cli, ct) =>
        {
            var result = await cli.Client.PostAsync<JsonElement>($"api/v1/endpoints/{Uri.EscapeDataString(cli.Get(endpoint)!)}/privacy/erase", new { subject = cli.Get(subject) }, ct);
            if (cli.Get(json))
            {
                cli.WriteJson(result);
                return;
            }

            cli.Line(string.Create(CultureInfo.InvariantCulture,
                $"Erased from {result.GetProperty("endpoint").GetString()}: {result.GetProperty("predictions").GetInt32()} predictions, {result.GetProperty("labels").GetInt32()} labels."));
        });
    }

    private static void Print(CliContext cli, JsonElement policy, bool json)
    {
        if (json)
        {
            cli.WriteJson(policy);
            return;
        }

        var fields = policy.GetProperty("fields").EnumerateObject().ToList();
        cli.Line($"{policy.GetProperty("endpoint").GetString()}: {(fields.Count == 0 ? "every field kept" : string.Join(", ", fields.Select(f => $"{f.Name}={f.Value.GetString()}")))}");
        var retention = policy.GetProperty("retention");
        string Days(string name) => retention.TryGetProperty(name, out var d) && d.ValueKind == JsonValueKind.Number ? $"{d.GetInt32()} days" : "kept";
        cli.Line($"retention: predictions {Days("predictionsDays")}, labels {Days("labelsDays")}, satisfaction {Days("satisfactionDays")}");
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Escala.Cli.Client;
using Escala.Server.Endpoints;
using Spectre.Console;

namespace Escala.Cli.Endpoints;

/// <summary><c>escala endpoints create|list|show|settings|fallback|predictions</c>.</summary>
public static class EndpointsCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var endpoints = new Command("endpoints", "Endpoints: stable names applications call, with the versions and rollouts behind them.").WithClientOptions();
        endpoints.Subcommands.Add(CreateEndpoint());
        endpoints.Subcommands.Add(List());
        endpoints.Subcommands.Add(Show());
        endpoints.Subcommands.Add(Settings());
        endpoints.Subcommands.Add(Fallback());
        endpoints.Subcommands.Add(Predictions());
        return endpoints;
    }

    private static Command CreateEndpoint()
    {
        var name = new Argument<string>("name") { Description = "The endpoint's name, e.g. credit-risk (it becomes /v2/models/credit-risk/infer)." };
        var department = new Option<string?>("--department") { Description = "The department that owns (manages) it; any department may call it." };
        var description = new Option<string?>("--description") { Description = "What it is for." };
        var settings = SettingsOptions.Create();
        var command = new Command("create", "Create an endpoint with nothing deployed (operator).") { name, department, description };
        settings.AddTo(command);
        return command.Runs(async (cli, ct) =>
        {
            var body = new CreateEndpointRequest(cli.Get(name)!, cli.Get(department), cli.Get(description), await settings.ReadAsync(cli, ct));
            var created = await cli.Client.PostAsync<EndpointResponse>("api/v1/endpoints", body, ct);
            cli.Line($"Created endpoint {created.Name}{(created.Department is null ? "" : $" (owned by {created.Department})")}. Deploy to it with `escala deploy {created.Name} MODEL:VERSION`.");
        });
    }

    private static Command List()
    {
        var json = ClientOptions.Json;
        var command = new Command("list", "List endpoints with their routing.") { json };
        return command.Runs(async (cli, ct) =>
        {
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync("api/v1/endpoints", ct));
                return;
            }

            var table = new Table().AddColumns("endpoint", "department", "routing (all departments)", "department rules", "fallback");
            foreach (var e in await cli.Client.GetAsync<EndpointResponse[]>("api/v1/endpoints", ct))
            {
                table.AddRow(
                    new Text(e.Name),
                    new Text(e.Department ?? "-"),
                    new Text(e.Routing.Default ?? "nothing deployed"),
                    new Text(e.Routing.Departments.Count == 0 ? "-" : string.Join("\n", e.Routing.Departments.Select(d => $"{d.Department}: {d.Policy}"))),
                    new Text(e.Routing.Fallback ?? "-"));
            }

            cli.Console.Write(table);
        });
    }

    private static Command Show()
    {
        var name = new Argument<string>("name") { Description = "The endpoint." };
        var json = ClientOptions.Json;
        var command = new Command("show", "Show an endpoint: routing per department, each version's breaker and what it answered.") { name, json };
        return command.Runs(async (cli, ct) =>
        {
            var path = $"api/v1/endpoints/{Uri.EscapeDataString(cli.Get(name)!)}";
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync(path, ct));
                return;
            }

            Print(cli, await cli.Client.GetAsync<EndpointResponse>(path, ct));
        });
    }

    private static Command Settings()
    {
        var name = new Argument<string>("name") { Description = "The endpoint." };
        var clear = new Option<bool>("--clear-default-answer") { Description = "Remove the default answer." };
        var settings = SettingsOptions.Create();
        var command = new Command("settings", "Change an endpoint's deadline, default answer, log sample rate or subject field (operator).") { name, clear };
        settings.AddTo(command);
        return command.Runs(async (cli, ct) =>
        {
            var s = await settings.ReadAsync(cli, ct) ?? new EndpointSettingsRequest();
            var changed = await cli.Client.PatchAsync<EndpointChangeResponse>(
                $"api/v1/endpoints/{Uri.EscapeDataString(cli.Get(name)!)}/settings", s with { ClearDefaultAnswer = cli.Get(clear) }, ct);
            Print(cli, changed.Endpoint);
        });
    }

    private static Command Fallback()
    {
        var name = new Argument<string>("name") { Description = "The endpoint." };
        var version = new Argument<string?>("version") { Description = "The fallback version, MODEL:VERSION.", Arity = ArgumentArity.ZeroOrOne };
        var clear = new Option<bool>("--clear") { Description = "Remove the fallback version." };
        var command = new Command("fallback", "Set the version that answers when the routed one fails or misses its deadline (operator).") { name, version, clear };
        return command.Runs(async (cli, ct) =>
        {
            var path = $"api/v1/endpoints/{Uri.EscapeDataString(cli.Get(name)!)}/fallback";
            if (cli.Get(clear) == (cli.Get(version) is not null))
            {
                throw new CliException("Give a fallback version (MODEL:VERSION) or --clear, not both.");
            }

            var changed = cli.Get(clear)
                ? await cli.Client.DeleteAsync<EndpointChangeResponse>(path, ct)
                : await cli.Client.PutAsync<EndpointChangeResponse>(path, new FallbackRequest(cli.Get(version)), ct);
            cli.Line(changed.Message);
        });
    }

    private static Command Predictions()
    {
        var name = new Argument<string>("name") { Description = "The endpoint." };
        var requestId = new Option<string?>("--request-id") { Description = "Only the lines of this request (its answer and any shadow answers)." };
        var limit = new Option<int>("--limit") { Description = "At most this many lines, newest first.", DefaultValueFactory = _ => 20 };
        var json = ClientOptions.Json;
        var command = new Command("predictions", "Show the prediction log of an endpoint (scientist).") { name, requestId, limit, json };
        return command.Runs(async (cli, ct) =>
        {
            var path = $"api/v1/endpoints/{Uri.EscapeDataString(cli.Get(name)!)}/predictions?limit={cli.Get(limit)}"
                + (cli.Get(requestId) is { } id ? $"&requestId={Uri.EscapeDataString(id)}" : "");
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync(path, ct));
                return;
            }

            var table = new Table().AddColumns("at", "request", "kind", "version", "department", "source", "latency", "outputs");
            foreach (var l in await cli.Client.GetAsync<PredictionLogLine[]>(path, ct))
            {
                var outputs = l.Outputs.GetRawText();
                table.AddRow(
                    new Text(l.At.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)),
                    new Text(l.RequestId[^12..]),
                    new Text(l.Kind),
                    new Text(l.Version ?? "-"),
                    new Text(l.Department ?? "-"),
                    new Text(l.Source + (l.FailureReason is null ? "" : $" ({l.FailureReason})")),
                    new Text(l.LatencyMs.ToString("0.00 ms", CultureInfo.InvariantCulture)),
                    new Text(outputs.Length > 60 ? outputs[..60] + "..." : outputs));
            }

            cli.Console.Write(table);
        });
    }

    /// <summary>Prints an endpoint the way `endpoints show` does.</summary>
    public static void Print(CliContext cli, EndpointResponse e)
    {
        ArgumentNullException.ThrowIfNull(cli);
        ArgumentNullException.ThrowIfNull(e);
        cli.Line($"{e.Name}{(e.Department is null ? "" : $" (owned by {e.Department})")}, generation {e.Generation}, updated {e.UpdatedAt:u}");
        cli.Line($"  all departments: {e.Routing.Default ?? "nothing deployed"}");
        foreach (var d in e.Routing.Departments)
        {
            cli.Line($"  department {d.Department}: {d.Policy}");
        }

        cli.Line($"  fallback: {e.Routing.Fallback ?? "none"}; deadline: {(e.Settings.DeadlineMs is { } ms ? $"{ms} ms" : "gateway default")}; default answer: {(e.Settings.DefaultAnswer is { } a ? a.GetRawText() : "none")}; log sample: {e.Settings.LogSampleRate:0.###}; memory budget: {(e.Settings.MemoryBudgetBytes is { } b ? $"{b >> 20} MiB" : "gateway default")}");
        if (e.Targets.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("version", "kind", "loaded", "breaker", "answered", "as fallback", "failed", "shadowed");
        foreach (var t in e.Targets)
        {
            table.AddRow(
                new Text(t.Key),
                new Text(t.Url is null ? t.Kind : $"{t.Kind} {t.Url}"),
                new Text(t.Available ? "yes" : $"no: {t.Description}"),
                new Text(t.Breaker),
                new Text(t.Answered.ToString("N0", CultureInfo.InvariantCulture)),
                new Text(t.AnsweredAsFallback.ToString("N0", CultureInfo.InvariantCulture)),
                new Text(t.Failed.ToString("N0", CultureInfo.InvariantCulture)),
                new Text(t.Shadowed.ToString("N0", CultureInfo.InvariantCulture)));
        }

        cli.Console.Write(table);
        foreach (var s in e.Shadows ?? [])
        {
            cli.Line($"  shadow {s.Shadow} vs {s.Primary}: {Agreement(s.Current.Copies, s.Current.LabelAgreement, s.Current.MeanAbsDiff)} in the window since {s.Current.Start:u}"
                + (s.Previous is { } p ? $"; {Agreement(p.Copies, p.LabelAgreement, p.MeanAbsDiff)} in {p.Start:u} - {p.End:u}" : "")
                + $"; {Agreement(s.Copies, s.LabelAgreement, s.MeanAbsDiff)} since the server started");
        }
    }

    private static string Agreement(long copies, double? labels, double? diff) =>
        string.Create(CultureInfo.InvariantCulture, $"{copies:N0} copies")
        + (labels is { } l ? string.Create(CultureInfo.InvariantCulture, $", {l:P1} of labels equal") : "")
        + (diff is { } d ? string.Create(CultureInfo.InvariantCulture, $", mean |score difference| {d:0.####}") : "");

    /// <summary>The settings options shared by create and settings.</summary>
    private sealed class SettingsOptions
    {
        private readonly Option<int?> _deadline = new("--deadline-ms") { Description = "How long a version may take before the fallback chain answers." };
        private readonly Option<string?> _defaultAnswer = new("--default-answer") { Description = "One row of outputs answered when every version fails: JSON, or @FILE." };
        private readonly Option<double?> _sample = new("--log-sample") { Description = "Share of requests written to the prediction log, 0 to 1." };
        private readonly Option<string?> _subject = new("--subject-field") { Description = "The request field naming the subject for A/B tests (else the X-Escala-Subject header)." };
        private readonly Option<int?> _memory = new("--memory-budget-mb") { Description = "MiB one prediction may allocate in the engine (1-16384; default 256)." };

        public static SettingsOptions Create() => new();

        public void AddTo(Command command)
        {
            command.Options.Add(_deadline);
            command.Options.Add(_defaultAnswer);
            command.Options.Add(_sample);
            command.Options.Add(_subject);
            command.Options.Add(_memory);
        }

        public async Task<EndpointSettingsRequest?> ReadAsync(CliContext cli, CancellationToken ct)
        {
            JsonElement? answer = null;
            if (cli.Get(_defaultAnswer) is { } text)
            {
                var json = text.StartsWith('@') ? await File.ReadAllTextAsync(text[1..], ct) : text;
                try
                {
                    using var document = JsonDocument.Parse(json);
                    answer = document.RootElement.Clone();
                }
                catch (JsonException e)
                {
                    throw new CliException($"--default-answer is not JSON: {e.Message}");
                }
            }

            var settings = new EndpointSettingsRequest(cli.Get(_deadline), answer, false, cli.Get(_sample), cli.Get(_subject), cli.Get(_memory) * (1L << 20));
            return settings == new EndpointSettingsRequest() ? null : settings;
        }
    }
}

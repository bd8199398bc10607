using System.CommandLine;
using System.Globalization;
using Escala.Cli.Client;
using Escala.Server.Endpoints;

namespace Escala.Cli.Endpoints;

/// <summary><c>escala deploy</c>, <c>escala promote</c> and <c>escala rollback</c>: every one an audited change.</summary>
public static class RolloutCommands
{
    /// <summary><c>escala deploy ENDPOINT MODEL:VERSION --strategy ...</c>.</summary>
    public static Command Deploy()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint." };
        var target = new Argument<string>("version") { Description = "MODEL:VERSION (or MODEL:ALIAS), or with --external-url the name answers will report." };
        var strategy = new Option<string>("--strategy") { Description = "single, split, canary, blue-green, shadow or ab.", DefaultValueFactory = _ => "single" };
        var department = new Option<string?>("--department") { Description = "Roll out to this department's traffic only." };
        var percent = new Option<double?>("--percent") { Description = "The new version's share for split and ab (default 50); the mirrored share for shadow (default 100)." };
        var steps = new Option<string?>("--steps") { Description = "Canary steps in percent, e.g. 5,25,50,100 (the default)." };
        var every = new Option<string?>("--every") { Description = "Advance the canary by itself every interval, e.g. 30s, 10m, 1h (default: only by `escala promote`)." };
        var externalUrl = new Option<string?>("--external-url") { Description = "Deploy an external Open Inference Protocol v2 server at this URL instead of a registered version." };
        var externalModel = new Option<string?>("--external-model") { Description = "The model name on the external server." };
        var externalVersion = new Option<string?>("--external-version") { Description = "The model version on the external server." };
        var command = new Command("deploy", "Deploy a version to an endpoint with a rollout strategy (operator).")
        {
            endpoint, target, strategy, department, percent, steps, every, externalUrl, externalModel, externalVersion,
        };
        command.WithClientOptions();
        return command.Runs(async (cli, ct) =>
        {
            var url = cli.Get(externalUrl);
            var body = new DeployRequest(
                url is null ? cli.Get(target) : null,
                url is null ? null : new ExternalBackendRequest(cli.Get(target)!, url,
                    cli.Get(externalModel) ?? throw new CliException("--external-url needs --external-model (the model's name on that server)."), cli.Get(externalVersion)),
                cli.Get(strategy),
                cli.Get(department),
                cli.Get(percent),
                cli.Get(steps) is { } s ? ParseSteps(s) : null,
                cli.Get(every) is { } e ? ParseInterval(e).TotalSeconds : null);
            var changed = await cli.Client.PostAsync<EndpointChangeResponse>($"api/v1/endpoints/{Uri.EscapeDataString(cli.Get(endpoint)!)}/deploy", body, ct);
            cli.Line(changed.Message);
        });
    }

    /// <summary><c>escala promote ENDPOINT</c>.</summary>
    public static Command Promote()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint." };
        var department = new Option<string?>("--department") { Description = "Promote that department's rollout (default: the endpoint's own)." };
        var to = new Option<string?>("--to") { Description = "The winner, where there is a choice (split, ab), or the canary to complete at once." };
        var command = new Command("promote", "Move a rollout one step forward: next canary step, switch to green, conclude a test (operator).") { endpoint, department, to };
        command.WithClientOptions();
        return command.Runs(async (cli, ct) =>
        {
            var changed = await cli.Client.PostAsync<EndpointChangeResponse>(
                $"api/v1/endpoints/{Uri.EscapeDataString(cli.Get(endpoint)!)}/promote", new PromoteRequest(cli.Get(department), cli.Get(to)), ct);
            cli.Line(changed.Message);
        });
    }

    /// <summary><c>escala rollback ENDPOINT</c>.</summary>
    public static Command Rollback()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint." };
        var department = new Option<string?>("--department") { Description = "Roll back that department's rollout (default: the endpoint's own)." };
        var command = new Command("rollback", "Return traffic to the version that served before the current rollout (operator).") { endpoint, department };
        command.WithClientOptions();
        return command.Runs(async (cli, ct) =>
        {
            var changed = await cli.Client.PostAsync<EndpointChangeResponse>(
                $"api/v1/endpoints/{Uri.EscapeDataString(cli.Get(endpoint)!)}/rollback", new RollbackRequest(cli.Get(department)), ct);
            cli.Line(changed.Message);
        });
    }

    private static double[] ParseSteps(string text)
    {
        var steps = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var step))
            {
                throw new CliException($"--steps '{text}': '{part}' is not a percentage; write e.g. 5,25,50,100.");
            }

            steps.Add(step);
        }

        return [.. steps];
    }

    /// <summary>Parses 30s, 10m, 1h, 2d (or a plain number of seconds).</summary>
    public static TimeSpan ParseInterval(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsLetter(text[^1]) ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new CliException($"--every '{text}' is not an interval; write e.g. 30s, 10m or 1h.");
        }

        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => throw new CliException($"--every '{text}': use s, m, h or d."),
        };
    }
}

using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using Escala.Cli.Client;
using Escala.Core.Pipelines;
using Escala.Server.Training;
using Escala.Training.Pipelines;
using Spectre.Console;

namespace Escala.Cli.Training;

/// <summary><c>escala pipelines apply|list|run|runs|show|logs|cancel</c>.</summary>
public static class PipelinesCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var pipelines = new Command("pipelines", "Continuous training: YAML pipelines (train, evaluate, gate, register...) and their runs.").WithClientOptions();
        pipelines.Subcommands.Add(Apply());
        pipelines.Subcommands.Add(List());
        pipelines.Subcommands.Add(Run());
        pipelines.Subcommands.Add(Runs());
        pipelines.Subcommands.Add(Show());
        pipelines.Subcommands.Add(Logs());
        pipelines.Subcommands.Add(Cancel());
        return pipelines;
    }

    private static Command Apply()
    {
        var file = new Argument<FileInfo>("file") { Description = "The pipeline YAML file." };
        var command = new Command("apply", "Check a pipeline file and store it as the pipeline's next revision.") { file };
        return command.Runs(async (cli, ct) =>
        {
            var path = cli.Get(file)!;
            if (!path.Exists)
            {
                throw new CliException($"{path.FullName} does not exist.");
            }

            var yaml = await File.ReadAllTextAsync(path.FullName, ct);
            var (saved, _) = await cli.Client.SendWithStatusAsync<PipelineRecord>(() => new HttpRequestMessage(HttpMethod.Post, "api/v1/pipelines")
            {
                Content = new StringContent(yaml) { Headers = { ContentType = new MediaTypeHeaderValue("application/yaml") } },
            }, ct);
            cli.Line($"pipeline {saved.Name} revision {saved.Revision} applied; its runs act as {saved.Owner.Name}.");
        });
    }

    private static Command List()
    {
        var command = new Command("list", "List pipelines.");
        return command.Runs(async (cli, ct) =>
        {
            var table = new Table().AddColumns("pipeline", "revision", "applied by", "at");
            foreach (var p in await cli.Client.GetAsync<PipelineRecord[]>("api/v1/pipelines", ct))
            {
                table.AddRow(new Text(p.Name), new Text(p.Revision.ToString(CultureInfo.InvariantCulture)), new Text(p.UpdatedBy), new Text(p.UpdatedAt.ToString("u", CultureInfo.InvariantCulture)));
            }

            cli.Console.Write(table);
        });
    }

    private static Command Run()
    {
        var name = new Argument<string>("name") { Description = "The pipeline." };
        var parameters = new Option<string[]>("--param") { Description = "A parameter value, KEY=VALUE (repeatable).", AllowMultipleArgumentsPerToken = false };
        var wait = new Option<bool>("--wait") { Description = "Wait for the run to end: exit 0 when it succeeded, 1 with the failing step and reason otherwise." };
        var command = new Command("run", "Start a run of a pipeline.") { name, parameters, wait };
        return command.Runs(async (cli, ct) =>
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in cli.Get(parameters) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new CliException($"--param '{pair}' is not KEY=VALUE.");
                }

                values[pair[..equals]] = pair[(equals + 1)..];
            }

            var run = await cli.Client.PostAsync<PipelineRun>($"api/v1/pipelines/{Uri.EscapeDataString(cli.Get(name)!)}/runs", new StartRunRequest(values), ct);
            cli.Line($"run {run.Id} of {run.Pipeline} queued");
            if (!cli.Get(wait))
            {
                return;
            }

            var reported = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                var view = await cli.Client.GetAsync<RunView>($"api/v1/pipeline-runs/{run.Id}", ct);
                foreach (var step in view.Steps.Where(s => s.Status is not (StepStatus.Pending or StepStatus.Running) && reported.Add(s.Name)))
                {
                    cli.Line($"  {step.Name,-12} {Describe(step)}");
                }

                if (view.Run.IsFinished)
                {
                    if (view.Run.Status == RunStatus.Succeeded)
                    {
                        cli.Line($"run {run.Id} succeeded in {Duration(view.Run.StartedAt, view.Run.EndedAt)}");
                        return;
                    }

                    throw new CliException($"run {run.Id} {view.Run.Status.ToString().ToLowerInvariant()} at step '{view.Run.FailedStep}': {view.Run.Reason}");
                }

                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        });
    }

    private static Command Runs()
    {
        var name = new Argument<string?>("name") { Description = "Only this pipeline's runs.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("runs", "List runs, newest first.") { name };
        return command.Runs(async (cli, ct) =>
        {
            var path = cli.Get(name) is { } n ? $"api/v1/pipeline-runs?pipeline={Uri.EscapeDataString(n)}" : "api/v1/pipeline-runs";
            var table = new Table().AddColumns("run", "pipeline", "status", "trigger", "created", "took", "reason");
            foreach (var r in await cli.Client.GetAsync<PipelineRun[]>(path, ct))
            {
                table.AddRow(new Text(r.Id.ToString(CultureInfo.InvariantCulture)), new Text(r.Pipeline), new Text(r.Status.ToString().ToLowerInvariant()),
                    new Text($"{r.Trigger.Kind}: {r.Trigger.Detail}"), new Text(r.CreatedAt.ToString("u", CultureInfo.InvariantCulture)),
                    new Text(Duration(r.StartedAt, r.EndedAt)), new Text(r.Reason is null ? "-" : $"{r.FailedStep}: {r.Reason}"));
            }

            cli.Console.Write(table);
        });
    }

    private static Command Show()
    {
        var id = new Argument<long>("run") { Description = "The run id." };
        var json = ClientOptions.Json;
        var command = new Command("show", "Show a run and its steps.") { id, json };
        return command.Runs(async (cli, ct) =>
        {
            var path = $"api/v1/pipeline-runs/{cli.Get(id)}";
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync(path, ct));
                return;
            }

            var view = await cli.Client.GetAsync<RunView>(path, ct);
            var r = view.Run;
            cli.Line($"run {r.Id} of {r.Pipeline} (revision {r.Revision}): {r.Status.ToString().ToLowerInvariant()}; trigger {r.Trigger.Kind} ({r.Trigger.Detail}); acts as {r.Identity.Name}");
            cli.Line($"queued {r.CreatedAt:u}, took {Duration(r.StartedAt, r.EndedAt)}{(r.Reason is null ? string.Empty : $"; {r.FailedStep}: {r.Reason}")}");
            if (r.Parameters.Count > 0)
            {
                cli.Line("parameters: " + string.Join(", ", r.Parameters.Select(p => $"{p.Key}={p.Value}")));
            }

            var table = new Table().AddColumns("step", "type", "status", "took", "input hash", "outputs / reason");
            foreach (var s in view.Steps)
            {
                table.AddRow(new Text(s.Name), new Text(s.Type), new Text(Describe(s)), new Text(Duration(s.StartedAt, s.EndedAt)),
                    new Text(s.InputHash is null ? "-" : s.InputHash[..12]), new Text(s.Reason ?? Shorten(s.Outputs)));
            }

            cli.Console.Write(table);
        });
    }

    private static Command Logs()
    {
        var id = new Argument<long>("run") { Description = "The run id." };
        var step = new Argument<string>("step") { Description = "The step's name." };
        var command = new Command("logs", "Print a step's log.") { id, step };
        return command.Runs(async (cli, ct) =>
            cli.Console.Profile.Out.Writer.Write(await cli.Client.GetStringAsync($"api/v1/pipeline-runs/{cli.Get(id)}/steps/{Uri.EscapeDataString(cli.Get(step)!)}/log", ct)));
    }

    private static Command Cancel()
    {
        var id = new Argument<long>("run") { Description = "The run id." };
        var command = new Command("cancel", "Cancel a queued run, or stop a running one at its current step.") { id };
        return command.Runs(async (cli, ct) =>
        {
            var run = await cli.Client.PostAsync<PipelineRun>($"api/v1/pipeline-runs/{cli.Get(id)}/cancel", null, ct);
            cli.Line(run.Status == RunStatus.Cancelled ? $"run {run.Id} cancelled" : $"run {run.Id} is stopping at its current step");
        });
    }

    private static string Describe(StepRun step) => step.Status switch
    {
        StepStatus.Cached => $"cached (run {step.CachedFromRun})",
        StepStatus.Failed => "FAILED",
        var s => s.ToString().ToLowerInvariant(),
    };

    private static string Duration(DateTimeOffset? from, DateTimeOffset? to) =>
        from is { } a && to is { } b ? $"{(b - a).TotalSeconds:0.0} s" : "-";

    private static string Shorten(string? json) => json is null ? "-" : json.Length <= 90 ? json : json[..90] + "…";
}

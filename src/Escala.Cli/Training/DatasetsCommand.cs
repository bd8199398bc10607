using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using Escala.Cli.Client;
using Escala.Core.Datasets;
using Escala.Server.Training;
using Spectre.Console;

namespace Escala.Cli.Training;

/// <summary><c>escala datasets upload|from-feedback|list|show</c>.</summary>
public static class DatasetsCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var datasets = new Command("datasets", "Versioned, fingerprinted CSV datasets for training and evaluation.").WithClientOptions();
        datasets.Subcommands.Add(Upload());
        datasets.Subcommands.Add(FromFeedback());
        datasets.Subcommands.Add(List());
        return datasets;
    }

    private static Command Upload()
    {
        var name = new Argument<string>("name") { Description = "The dataset, e.g. adult-train." };
        var file = new Argument<FileInfo>("file") { Description = "A CSV file with a header row." };
        var command = new Command("upload", "Store a CSV file as the dataset's next version.") { name, file };
        return command.Runs(async (cli, ct) =>
        {
            var path = cli.Get(file)!;
            if (!path.Exists)
            {
                throw new CliException($"{path.FullName} does not exist.");
            }

            var bytes = await File.ReadAllBytesAsync(path.FullName, ct);
            var (version, _) = await cli.Client.SendWithStatusAsync<DatasetVersion>(() => new HttpRequestMessage(HttpMethod.Post, $"api/v1/datasets/{Uri.EscapeDataString(cli.Get(name)!)}")
            {
                Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } },
            }, ct);
            Print(cli, version);
        });
    }

    private static Command FromFeedback()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint whose labelled predictions become rows." };
        var since = new Option<string>("--since") { Description = "Predictions made at or after this time (ISO 8601, or a duration such as 24h).", Required = true };
        var name = new Option<string?>("--name") { Description = "The dataset (default: ENDPOINT-feedback)." };
        var label = new Option<string?>("--label-column") { Description = "The label's column name (default: label)." };
        var positive = new Option<string?>("--positive") { Description = "How a positive binary truth is written (default: 1)." };
        var negative = new Option<string?>("--negative") { Description = "How a negative binary truth is written (default: 0)." };
        var command = new Command("from-feedback", "Build a dataset version from production: the logged inputs of every request that received a ground-truth label, with the label.")
        {
            endpoint, since, name, label, positive, negative,
        };
        return command.Runs(async (cli, ct) =>
        {
            var text = cli.Get(since)!;
            DateTimeOffset from;
            if (Escala.Training.Pipelines.PipelineYaml.TryDuration(text, out var ago))
            {
                from = DateTimeOffset.UtcNow - ago;
            }
            else if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out from))
            {
                throw new CliException($"--since '{text}' is neither a time (2026-12-01T00:00:00Z) nor a duration (24h).");
            }

            var target = cli.Get(name) ?? $"{cli.Get(endpoint)}-feedback";
            var version = await cli.Client.PostAsync<DatasetVersion>($"api/v1/datasets/{Uri.EscapeDataString(target)}/from-feedback",
                new FromFeedbackRequest(cli.Get(endpoint)!, from, cli.Get(label), cli.Get(positive), cli.Get(negative)), ct);
            Print(cli, version);
        });
    }

    private static Command List()
    {
        var json = ClientOptions.Json;
        var command = new Command("list", "List dataset versions.") { json };
        return command.Runs(async (cli, ct) =>
        {
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync("api/v1/datasets", ct));
                return;
            }

            var table = new Table().AddColumns("dataset", "rows", "columns", "fingerprint", "source", "created");
            foreach (var d in await cli.Client.GetAsync<DatasetVersion[]>("api/v1/datasets", ct))
            {
                table.AddRow(new Text(d.Ref), new Text(d.Rows.ToString("N0", CultureInfo.InvariantCulture)), new Text(d.Columns.Count.ToString(CultureInfo.InvariantCulture)),
                    new Text(d.Fingerprint[..19] + "…"), new Text(d.Source), new Text(d.CreatedAt.ToString("u", CultureInfo.InvariantCulture)));
            }

            cli.Console.Write(table);
        });
    }

    private static void Print(CliContext cli, DatasetVersion version) =>
        cli.Line($"{version.Ref}: {version.Rows:N0} rows, {version.Columns.Count} columns ({string.Join(", ", version.Columns.Select(c => c.Kind == "numeric" ? c.Name : c.Name + "*"))}; * categorical), fingerprint {version.Fingerprint}");
}

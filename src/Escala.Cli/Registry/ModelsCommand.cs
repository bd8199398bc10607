using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Escala.Cli.Client;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Registry;
using Escala.Server.Hosting;
using Escala.Server.Registry;
using Spectre.Console;

namespace Escala.Cli.Registry;

/// <summary><c>escala models ...</c>: register, list, show, alias, stage, card, lineage, update, download.</summary>
public static class ModelsCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var models = new Command("models", "The model registry: versions, aliases, stages, cards and lineage.").WithClientOptions();
        models.Subcommands.Add(Register());
        models.Subcommands.Add(List());
        models.Subcommands.Add(Show());
        models.Subcommands.Add(Alias());
        models.Subcommands.Add(Stage());
        models.Subcommands.Add(Card());
        models.Subcommands.Add(Lineage());
        models.Subcommands.Add(Find());
        models.Subcommands.Add(Update());
        models.Subcommands.Add(Download());
        models.Subcommands.Add(Baseline());
        return models;
    }

    /// <summary>The path of a model's routes.</summary>
    public static string PathOf(string model) => $"api/v1/models/{Uri.EscapeDataString(model)}";

    /// <summary>The path of a version's routes.</summary>
    public static string PathOf(string model, string version) => $"{PathOf(model)}/versions/{Uri.EscapeDataString(version)}";

    private static Command Register()
    {
        var name = new Argument<string>("name") { Description = "The model's name (created on its first version)." };
        var file = new Argument<FileInfo>("file") { Description = "The .onnx file." };
        var metrics = new Option<FileInfo?>("--metrics") { Description = "A JSON file of metric name to number, e.g. {\"auc\": 0.81}." };
        var parameters = new Option<FileInfo?>("--params") { Description = "A JSON file of parameter name to value." };
        var card = new Option<FileInfo?>("--card") { Description = "A markdown model card for this version." };
        var tags = new Option<string[]>("--tag") { Description = "A tag key=value (repeatable).", AllowMultipleArgumentsPerToken = false };
        var description = new Option<string?>("--description") { Description = "What this version is." };
        var parent = new Option<string?>("--parent") { Description = "The version this one derives from: a number of the same model or MODEL:VERSION." };
        var fingerprint = new Option<string?>("--data-fingerprint") { Description = "A fingerprint of the training data (e.g. a dataset hash or snapshot id)." };
        var trainingData = new Option<FileInfo?>("--training-data") { Description = "A training data file; its SHA-256 becomes the data fingerprint." };
        var revision = new Option<string?>("--code-revision") { Description = "The code revision that trained it (e.g. a git commit)." };
        var run = new Option<string?>("--pipeline-run") { Description = "The pipeline run that produced it." };
        var department = new Option<string?>("--department") { Description = "The owning department, when this creates the model (default: your key's department)." };
        var fourEyes = new Option<string?>("--four-eyes") { Description = "on|off: whether production needs a second person's approval, when this creates the model (default on)." };
        fourEyes.AcceptOnlyFromAmong("on", "off");
        var baseline = new Option<FileInfo?>("--baseline")
        {
            Description = "A reference CSV (header = the model's features) profiled as the version's baseline for drift and data quality.",
        };
        var json = ClientOptions.Json;
        var command = new Command("register", "Register a new version of a model from an ONNX file.")
        {
            name, file, metrics, parameters, card, tags, description, parent, fingerprint, trainingData, revision, run, department, fourEyes, baseline, json,
        };
        return command.Runs(async (cli, ct) =>
        {
            var onnx = cli.Get(file)!;
            var model = await ReadFileAsync(onnx, "model file", ct);
            var dataFingerprint = cli.Get(fingerprint);
            if (cli.Get(trainingData) is { } data)
            {
                if (dataFingerprint is not null)
                {
                    throw new CliException("Give either --data-fingerprint or --training-data, not both.");
                }

                dataFingerprint = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(await ReadFileAsync(data, "training data", ct)));
            }

            var metadata = new RegisterVersionMetadata(
                Description: cli.Get(description),
                Department: cli.Get(department),
                RequireApproval: cli.Get(fourEyes) switch { "on" => true, "off" => false, _ => null },
                Metrics: cli.Get(metrics) is { } m ? await ReadJsonAsync(m, "metrics", ct) : null,
                Params: cli.Get(parameters) is { } p ? await ReadJsonAsync(p, "params", ct) : null,
                Tags: ParseTags(cli.Get(tags)),
                DataFingerprint: dataFingerprint,
                CodeRevision: cli.Get(revision),
                PipelineRun: cli.Get(run),
                Parent: cli.Get(parent),
                Card: cli.Get(card) is { } c ? await File.ReadAllTextAsync(c.FullName, ct) : null);
            var reference = cli.Get(baseline) is { } csv ? await ReadFileAsync(csv, "baseline CSV", ct) : null;
            var version = await RegisterAsync(cli.Client, cli.Get(name)!, onnx.Name, model, metadata, ct, reference);
            if (cli.Get(json))
            {
                cli.WriteJson(JsonSerializer.SerializeToElement(version, EscalaJson.Options));
                return;
            }

            cli.Line($"Registered {version.Model} v{version.Version} (sha256:{version.ArtifactSha256}, {version.SizeBytes:N0} bytes).");
            if (version.Signature is { } signature)
            {
                cli.Line($"Signature: {Describe(signature.Inputs)} -> {Describe(signature.Outputs)}");
            }

            if (version.Baseline is { } profiled)
            {
                cli.Line($"Baseline: {Describe(profiled)}");
            }
        });
    }

    /// <summary>Uploads a model with its metadata and, optionally, a baseline reference CSV; shared by <c>register</c> and the demo.</summary>
    public static Task<VersionResponse> RegisterAsync(
        EscalaClient client, string model, string fileName, byte[] bytes, RegisterVersionMetadata metadata, CancellationToken ct, byte[]? baseline = null) =>
        client.PostMultipartAsync<VersionResponse>($"{PathOf(model)}/versions", () =>
        {
            var form = new MultipartFormDataContent();
            var meta = new StringContent(JsonSerializer.Serialize(metadata, EscalaJson.Options));
            meta.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            form.Add(meta, "metadata");
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(content, "file", fileName);
            if (baseline is not null)
            {
                var csv = new ByteArrayContent(baseline);
                csv.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
                form.Add(csv, "baseline", "baseline.csv");
            }

            return form;
        }, ct);

    /// <summary>A baseline in one line: where it came from, rows, features and the prediction column.</summary>
    public static string Describe(BaselineSummary baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        var source = baseline.Source == BaselineSource.Reference ? "reference table" : "first predictions";
        return string.Create(CultureInfo.InvariantCulture,
            $"{source}, {baseline.Rows:N0} rows, features {string.Join(", ", baseline.Features)}{(baseline.Prediction is null ? "" : $"; prediction {baseline.Prediction}")} ({baseline.CreatedAt:u} by {baseline.CreatedBy})");
    }

    private static Command List()
    {
        var json = ClientOptions.Json;
        var command = new Command("list", "List models.") { json };
        return command.Runs(async (cli, ct) =>
        {
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync("api/v1/models", ct));
                return;
            }

            var models = await cli.Client.GetAsync<ModelResponse[]>("api/v1/models", ct);
            var table = new Table().AddColumns("model", "department", "versions", "latest", "production", "four-eyes", "description");
            foreach (var m in models)
            {
                table.AddRow(Cell(m.Name), Cell(m.Department ?? "(organisation)"), Cell(m.VersionCount), Cell(m.LatestVersion), Cell(m.ProductionVersion),
                    Cell(m.RequireApproval ? "on" : "off"), Cell(m.Description));
            }

            cli.Console.Write(table);
        });
    }

    private static Command Show()
    {
        var name = new Argument<string>("name") { Description = "The model." };
        var version = new Argument<string?>("version") { Description = "A version number, alias or 'latest' (omit for the whole model).", Arity = ArgumentArity.ZeroOrOne };
        var json = ClientOptions.Json;
        var command = new Command("show", "Show a model and its versions, or one version in detail.") { name, version, json };
        return command.Runs(async (cli, ct) =>
        {
            var model = cli.Get(name)!;
            var path = cli.Get(version) is { } v ? PathOf(model, v) : PathOf(model);
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync(path, ct));
                return;
            }

            if (cli.Get(version) is null)
            {
                var detail = await cli.Client.GetAsync<ModelDetailResponse>(path, ct);
                cli.Line($"{detail.Name}: {detail.Description ?? "(no description)"}");
                cli.Line($"department {detail.Department ?? "(organisation-wide)"}, four-eyes {(detail.RequireApproval ? "on" : "off")}, created {detail.CreatedAt:u} by {detail.CreatedBy}");
                var table = new Table().AddColumns("version", "stage", "aliases", "metrics", "baseline", "registered", "sha256");
                foreach (var item in detail.Versions)
                {
                    table.AddRow(Cell(item.Version), Cell(Name(item.Stage)), Cell(string.Join(", ", item.Aliases)), Cell(Metrics(item.Metrics)),
                        Cell(item.Baseline is { } b ? string.Create(CultureInfo.InvariantCulture, $"{(b.Source == BaselineSource.Reference ? "reference" : "predictions")}, {b.Rows:N0} rows") : "none"),
                        Cell($"{item.CreatedAt:u} {item.CreatedBy}"), Cell(item.ArtifactSha256[..12]));
                }

                cli.Console.Write(table);
                return;
            }

            var found = await cli.Client.GetAsync<VersionResponse>(path, ct);
            var facts = new Table().AddColumns("field", "value");
            facts.AddRow(Cell("model"), Cell(found.Model));
            facts.AddRow(Cell("version"), Cell(found.Version));
            facts.AddRow(Cell("stage"), Cell(Name(found.Stage)));
            facts.AddRow(Cell("aliases"), Cell(string.Join(", ", found.Aliases)));
            facts.AddRow(Cell("artifact"), Cell($"sha256:{found.ArtifactSha256} ({found.SizeBytes:N0} bytes)"));
            facts.AddRow(Cell("description"), Cell(found.Description));
            facts.AddRow(Cell("metrics"), Cell(Metrics(found.Metrics)));
            facts.AddRow(Cell("params"), Cell(string.Join(", ", found.Params.Select(p => $"{p.Key}={p.Value}"))));
            facts.AddRow(Cell("tags"), Cell(string.Join(", ", found.Tags.Select(p => $"{p.Key}={p.Value}"))));
            facts.AddRow(Cell("data fingerprint"), Cell(found.Lineage.DataFingerprint));
            facts.AddRow(Cell("pipeline run"), Cell(found.Lineage.PipelineRun));
            facts.AddRow(Cell("code revision"), Cell(found.Lineage.CodeRevision));
            facts.AddRow(Cell("parent"), Cell(found.Lineage.Parent));
            facts.AddRow(Cell("inputs"), Cell(found.Signature is null ? null : Describe(found.Signature.Inputs)));
            facts.AddRow(Cell("outputs"), Cell(found.Signature is null ? null : Describe(found.Signature.Outputs)));
            facts.AddRow(Cell("baseline"), Cell(found.Baseline is null ? $"none (attach one: escala models baseline {found.Model} {found.Version} --csv reference.csv)" : Describe(found.Baseline)));
            facts.AddRow(Cell("registered"), Cell($"{found.CreatedAt:u} by {found.CreatedBy}"));
            cli.Console.Write(facts);
        });
    }

    private static Command Alias()
    {
        var name = new Argument<string>("name") { Description = "The model." };
        var alias = new Argument<string>("alias") { Description = "The alias, e.g. champion or challenger." };
        var version = new Argument<int?>("version") { Description = "The version to point it at (omit with --remove).", Arity = ArgumentArity.ZeroOrOne };
        var remove = new Option<bool>("--remove") { Description = "Remove the alias instead." };
        var command = new Command("alias", "Point an alias at a version, or remove it.") { name, alias, version, remove };
        return command.Runs(async (cli, ct) =>
        {
            var path = $"{PathOf(cli.Get(name)!)}/aliases/{Uri.EscapeDataString(cli.Get(alias)!)}";
            if (cli.Get(remove))
            {
                await cli.Client.DeleteAsync(path, ct);
                cli.Line($"Removed alias {cli.Get(alias)} of {cli.Get(name)}.");
                return;
            }

            var target = cli.Get(version) ?? throw new CliException("Give the version to point the alias at, or --remove.");
            var set = await cli.Client.PutAsync<ModelAlias>(path, new SetAliasRequest(target), ct);
            cli.Line($"{set.Model}@{set.Alias} -> v{set.Version}");
        });
    }

    private static Command Stage()
    {
        var name = new Argument<string>("name") { Description = "The model." };
        var version = new Argument<string>("version") { Description = "The version (number or alias)." };
        var stage = new Argument<string>("stage") { Description = "none, staging, production or archived." };
        stage.AcceptOnlyFromAmong("none", "staging", "production", "archived");
        var comment = new Option<string?>("--comment") { Description = "Why (kept in the audit log)." };
        var command = new Command("stage", "Move a version to a stage; production may need a second person's approval.") { name, version, stage, comment };
        return command.Runs(async (cli, ct) =>
        {
            var (response, status) = await cli.Client.SendWithStatusAsync<StageChangeResponse>(() => EscalaClient.WithJson(
                HttpMethod.Post, $"{PathOf(cli.Get(name)!, cli.Get(version)!)}/stage", new StageChangeRequest(cli.Get(stage)!, cli.Get(comment))), ct);
            if (response.Approval is { } pending)
            {
                cli.Line($"{pending.Model} v{pending.Version}: moving to {Name(pending.To)} needs approval by a second person; request #{pending.Id} is pending (HTTP {(int)status}).");
                cli.Line($"An approver runs: escala approvals approve {pending.Id}");
                return;
            }

            cli.Line($"{response.Version.Model} v{response.Version.Version} is now in {Name(response.Version.Stage)}.");
        });
    }

    private static Command Card()
    {
        var name = new Argument<string>("name") { Description = "The model." };
        var version = new Argument<string>("version") { Description = "The version (number or alias)." };
        var set = new Option<FileInfo?>("--set") { Description = "Write this markdown file as the card." };
        var html = new Option<FileInfo?>("--html") { Description = "Save the rendered HTML page to this file." };
        var command = new Command("card", "Show, write or render a version's model card.") { name, version, set, html };
        return command.Runs(async (cli, ct) =>
        {
            var path = $"{PathOf(cli.Get(name)!, cli.Get(version)!)}/card";
            if (cli.Get(set) is { } file)
            {
                var markdown = await File.ReadAllTextAsync(file.FullName, ct);
                var written = await cli.Client.PutAsync<CardResponse>(path, new CardRequest(markdown), ct);
                cli.Line($"Wrote the card of {written.Model} v{written.Version} ({markdown.Length:N0} characters).");
            }

            if (cli.Get(html) is { } output)
            {
                var page = await cli.Client.GetStringAsync($"{path}/html", ct);
                await File.WriteAllTextAsync(output.FullName, page, ct);
                cli.Line($"Saved the rendered card to {output.FullName}.");
            }

            if (cli.Get(set) is null && cli.Get(html) is null)
            {
                var card = await cli.Client.GetAsync<CardResponse>(path, ct);
                cli.Line(card.Markdown);
            }
        });
    }

    private static Command Lineage()
    {
        var name = new Argument<string>("name") { Description = "The model." };
        var version = new Argument<string>("version") { Description = "The version (number or alias)." };
        var json = ClientOptions.Json;
        var command = new Command("lineage", "Show where a version came from and what was derived from it.") { name, version, json };
        return command.Runs(async (cli, ct) =>
        {
            var path = $"{PathOf(cli.Get(name)!, cli.Get(version)!)}/lineage";
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync(path, ct));
                return;
            }

            var view = await cli.Client.GetAsync<LineageView>(path, ct);
            cli.Line($"{view.Version}");
            cli.Line($"  data fingerprint: {view.Lineage.DataFingerprint ?? "-"}");
            cli.Line($"  pipeline run:     {view.Lineage.PipelineRun ?? "-"}");
            cli.Line($"  code revision:    {view.Lineage.CodeRevision ?? "-"}");
            cli.Line($"  ancestors:        {(view.Ancestors.Count == 0 ? "-" : string.Join(" <- ", view.Ancestors))}");
            cli.Line($"  derived versions: {(view.Children.Count == 0 ? "-" : string.Join(", ", view.Children))}");
        });
    }

    private static Command Find()
    {
        var fingerprint = new Option<string?>("--data-fingerprint") { Description = "Versions trained on this data." };
        var run = new Option<string?>("--pipeline-run") { Description = "Versions made by this pipeline run." };
        var revision = new Option<string?>("--code-revision") { Description = "Versions trained by this code revision." };
        var parent = new Option<string?>("--parent") { Description = "Versions derived from MODEL:VERSION." };
        var json = ClientOptions.Json;
        var command = new Command("find", "Find versions by lineage.") { fingerprint, run, revision, parent, json };
        return command.Runs(async (cli, ct) =>
        {
            var query = new List<string>();
            void Add(string key, string? value)
            {
                if (value is not null)
                {
                    query.Add($"{key}={Uri.EscapeDataString(value)}");
                }
            }

            Add("dataFingerprint", cli.Get(fingerprint));
            Add("pipelineRun", cli.Get(run));
            Add("codeRevision", cli.Get(revision));
            Add("parent", cli.Get(parent));
            var path = $"api/v1/lineage?{string.Join('&', query)}";
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync(path, ct));
                return;
            }

            var table = new Table().AddColumns("version", "stage", "data fingerprint", "pipeline run", "parent");
            foreach (var v in await cli.Client.GetAsync<VersionResponse[]>(path, ct))
            {
                table.AddRow(Cell($"{v.Model}:{v.Version}"), Cell(Name(v.Stage)), Cell(v.Lineage.DataFingerprint), Cell(v.Lineage.PipelineRun), Cell(v.Lineage.Parent));
            }

            cli.Console.Write(table);
        });
    }

    private static Command Update()
    {
        var name = new Argument<string>("name") { Description = "The model." };
        var description = new Option<string?>("--description") { Description = "A new description." };
        var department = new Option<string?>("--department") { Description = "Move the model to another department (admin)." };
        var fourEyes = new Option<string?>("--four-eyes") { Description = "on|off: require a second person's approval for production (admin)." };
        fourEyes.AcceptOnlyFromAmong("on", "off");
        var command = new Command("update", "Change a model's description, department or four-eyes setting.") { name, description, department, fourEyes };
        return command.Runs(async (cli, ct) =>
        {
            var body = new UpdateModelRequest(cli.Get(description), cli.Get(department), cli.Get(fourEyes) switch { "on" => true, "off" => false, _ => null });
            var model = await cli.Client.PatchAsync<ModelResponse>(PathOf(cli.Get(name)!), body, ct);
            cli.Line($"{model.Name}: department {model.Department ?? "(organisation-wide)"}, four-eyes {(model.RequireApproval ? "on" : "off")}.");
        });
    }

    private static Command Download()
    {
        var name = new Argument<string>("name") { Description = "The model." };
        var version = new Argument<string>("version") { Description = "The version (number, alias or 'latest')." };
        var output = new Option<FileInfo>("--out") { Description = "Where to save the .onnx file.", Required = true };
        var command = new Command("download", "Download a version's ONNX file (verified against its SHA-256 on the server and here).") { name, version, output };
        return command.Runs(async (cli, ct) =>
        {
            var (bytes, headers) = await cli.Client.GetBytesAsync($"{PathOf(cli.Get(name)!, cli.Get(version)!)}/artifact", ct);
            var expected = headers.TryGetValues("X-Escala-Sha256", out var values) ? values.FirstOrDefault() : null;
            var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (expected is not null && expected != actual)
            {
                throw new CliException($"The download was damaged in transit: expected sha256:{expected}, got sha256:{actual}. Nothing was saved.");
            }

            await File.WriteAllBytesAsync(cli.Get(output)!.FullName, bytes, ct);
            cli.Line($"Saved {bytes.Length:N0} bytes (sha256:{actual}) to {cli.Get(output)!.FullName}.");
        });
    }

    private static Command Baseline()
    {
        var name = new Argument<string>("name") { Description = "The model." };
        var version = new Argument<string>("version") { Description = "The version (number or alias)." };
        var csv = new Option<FileInfo?>("--csv") { Description = "Attach (or replace) the baseline from this reference CSV: a header naming the model's features, one row per line." };
        var missing = new Option<string?>("--missing") { Description = "Comma-separated markers read as a missing value (default: NA, N/A, NaN, null, None, ?)." };
        var json = ClientOptions.Json;
        var command = new Command("baseline", "Show a version's baseline profile, or attach one from a reference CSV.") { name, version, csv, missing, json };
        return command.Runs(async (cli, ct) =>
        {
            var path = $"{PathOf(cli.Get(name)!, cli.Get(version)!)}/baseline";
            JsonElement response;
            if (cli.Get(csv) is { } file)
            {
                var bytes = await ReadFileAsync(file, "baseline CSV", ct);
                var query = cli.Get(missing) is { } m ? $"?missing={Uri.EscapeDataString(m)}" : "";
                response = await cli.Client.PutContentAsync<JsonElement>(path + query, () =>
                {
                    var content = new ByteArrayContent(bytes);
                    content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
                    return content;
                }, ct);
            }
            else
            {
                response = await cli.Client.GetJsonAsync(path, ct);
            }

            if (cli.Get(json))
            {
                cli.WriteJson(response);
                return;
            }

            var summary = response.GetProperty("summary").Deserialize<BaselineSummary>(EscalaJson.Options)!;
            cli.Line($"{response.GetProperty("model").GetString()} v{response.GetProperty("version").GetInt32()} baseline: {Describe(summary)}");
            var table = new Table().AddColumns("column", "kind", "missing", "summary");
            var profile = response.GetProperty("profile");
            var columns = profile.GetProperty("features").EnumerateArray().ToList();
            if (profile.TryGetProperty("prediction", out var prediction) && prediction.ValueKind == JsonValueKind.Object)
            {
                columns.Add(prediction);
            }

            foreach (var column in columns)
            {
                var count = column.GetProperty("count").GetInt64();
                var missingCount = column.GetProperty("missing").GetInt64();
                var kind = column.GetProperty("kind").GetString();
                string detail;
                if (kind == "numeric")
                {
                    var n = column.GetProperty("numeric");
                    detail = string.Create(CultureInfo.InvariantCulture,
                        $"min {n.GetProperty("min").GetDouble():G5}, mean {n.GetProperty("mean").GetDouble():G5}, max {n.GetProperty("max").GetDouble():G5}, {n.GetProperty("counts").GetArrayLength()} bins");
                }
                else
                {
                    var categories = column.GetProperty("categorical").GetProperty("categories").EnumerateArray().Select(c => c.GetString()).ToList();
                    detail = $"{categories.Count} categories: {string.Join(", ", categories.Take(8))}{(categories.Count > 8 ? ", ..." : "")}";
                }

                table.AddRow(Cell(column.GetProperty("name").GetString()), Cell(kind), Cell(count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{(double)missingCount / count * 100:0.#}%")), Cell(detail));
            }

            cli.Console.Write(table);
        });
    }

    private static async Task<byte[]> ReadFileAsync(FileInfo file, string what, CancellationToken ct)
    {
        if (!file.Exists)
        {
            throw new CliException($"The {what} {file.FullName} does not exist.");
        }

        return await File.ReadAllBytesAsync(file.FullName, ct);
    }

    private static async Task<JsonElement> ReadJsonAsync(FileInfo file, string what, CancellationToken ct)
    {
        var bytes = await ReadFileAsync(file, what, ct);
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(bytes);
        }
        catch (JsonException e)
        {
            throw new CliException($"The {what} file {file.FullName} is not valid JSON: {e.Message}", e);
        }
    }

    private static Dictionary<string, string>? ParseTags(string[]? tags)
    {
        if (tags is null || tags.Length == 0)
        {
            return null;
        }

        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            var (key, value) = VersionMetadata.ParseTag(tag);
            parsed[key] = value;
        }

        return parsed;
    }

    /// <summary>A signature's tensors as text, e.g. <c>features: float[N,5]</c>.</summary>
    public static string Describe(IReadOnlyList<TensorSpec> tensors) =>
        string.Join(", ", tensors.Select(t => t.Dims is null ? $"{t.Name}: {t.ElementType}" : $"{t.Name}: {t.ElementType}[{string.Join(',', t.Dims)}]"));

    private static string Metrics(IReadOnlyDictionary<string, double> metrics) =>
        string.Join(", ", metrics.Select(m => $"{m.Key}={m.Value.ToString("G4", CultureInfo.InvariantCulture)}"));

    private static string Name(Stage stage) => StageTransitions.ToName(stage);

    private static Markup Cell(object? value) => new(Markup.Escape(value switch
    {
        null => "-",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "-",
    }));
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Escala.Core.Access;
using Escala.Core.Artifacts;
using Escala.Core.Datasets;
using Escala.Core.Pipelines;
using Escala.Core.Registry;

namespace Escala.Training.Pipelines;

/// <summary>A step that cannot finish; its message is the reason the run records (and the CLI prints).</summary>
public sealed class StepFailedException(string reason) : Exception(reason);

/// <summary>What the steps of a run share: stores, the registry, time and a folder for data files.</summary>
public sealed record PipelineServices(
    IPipelineStore Pipelines, IDatasetStore Datasets, IArtifactStore Artifacts, ModelRegistry Registry, TimeProvider Time, string WorkRoot)
{
    /// <summary>Extra step types (canary, analyse, promote) provided by the host, by type.</summary>
    public IReadOnlyDictionary<string, IPipelineStep> HostSteps { get; init; } = new Dictionary<string, IPipelineStep>(StringComparer.Ordinal);
}

/// <summary>One step type: runs with resolved settings and returns its outputs (artifacts by <c>sha256:</c> id).</summary>
public interface IPipelineStep
{
    /// <summary>The type name in YAML.</summary>
    string Type { get; }

    /// <summary>Whether equal inputs may reuse an earlier run's outputs (no side effects outside the run).</summary>
    bool Cacheable { get; }

    /// <summary>Runs the step.</summary>
    Task<JsonObject> ExecuteAsync(StepContext context);
}

/// <summary>The view one step has of its run: resolved settings, earlier outputs, a log, data and the run's identity.</summary>
public sealed class StepContext(
    PipelineServices services, PipelineRun run, StepDefinition step, JsonObject settings, IReadOnlyDictionary<string, JsonObject> earlier, CancellationToken cancellationToken)
{
    private readonly StringBuilder _log = new();

    /// <summary>Shared services.</summary>
    public PipelineServices Services { get; } = services;

    /// <summary>The run.</summary>
    public PipelineRun Run { get; } = run;

    /// <summary>The step as declared.</summary>
    public StepDefinition Step { get; } = step;

    /// <summary>Settings with every <c>${...}</c> resolved.</summary>
    public JsonObject Settings { get; } = settings;

    /// <summary>Outputs of the steps that ran before, by step name.</summary>
    public IReadOnlyDictionary<string, JsonObject> Earlier { get; } = earlier;

    /// <summary>Stops the step (cancel or shutdown).</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Who the run acts as.</summary>
    public Principal Principal => Run.Identity.ToPrincipal();

    /// <summary>The run as lineage names it.</summary>
    public string RunName => $"{Run.Pipeline}.run-{Run.Id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Called after each log line (the runner saves the step so <c>logs</c> shows progress).</summary>
    public Action? LogChanged { get; set; }

    /// <summary>What the step wrote so far.</summary>
    public string LogText
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Appends a line to the step's log.</summary>
    public void Log(string line)
    {
        lock (_log)
        {
            _log.Append(Services.Time.GetUtcNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture)).Append(' ').AppendLine(line);
        }

        LogChanged?.Invoke();
    }

    /// <summary>A required text setting.</summary>
    public string Text(string key) => Optional(key) ?? throw new StepFailedException($"step '{Step.Name}' needs '{key}'");

    /// <summary>An optional text setting.</summary>
    public string? Optional(string key) => Settings[key] switch
    {
        null => null,
        JsonValue v => v.ToString(),
        var other => other.ToJsonString(),
    };

    /// <summary>An optional number setting.</summary>
    public double? Number(string key) => Optional(key) is { } text
        ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : throw new StepFailedException($"step '{Step.Name}': '{key}' must be a number, got '{text}'")
        : null;

    /// <summary>
    /// The dataset a setting names (<c>name</c> for the latest version, or <c>name@version</c>), written to a file in the
    /// work folder (once per fingerprint), with its record.
    /// </summary>
    public async Task<(DatasetVersion Dataset, string Path)> DatasetAsync(string reference)
    {
        var (name, version) = DatasetReference.Parse(reference);
        var dataset = await Services.Datasets.FindAsync(name, version, CancellationToken)
            ?? throw new StepFailedException($"there is no dataset '{reference}'; upload it with `escala datasets upload {name} FILE.csv`");
        Directory.CreateDirectory(Services.WorkRoot);
        var path = System.IO.Path.Combine(Services.WorkRoot, $"data-{dataset.Artifact.Sha256}.csv");
        if (!File.Exists(path))
        {
            var bytes = await Services.Artifacts.LoadAsync(dataset.Artifact, CancellationToken);
            var partial = path + "." + Guid.NewGuid().ToString("N") + ".partial";
            await File.WriteAllBytesAsync(partial, bytes, CancellationToken);
            File.Move(partial, path, overwrite: true);
        }

        return (dataset, path);
    }

    /// <summary>The bytes of a model artifact a setting names (<c>sha256:...</c>).</summary>
    public async Task<byte[]> ModelAsync(string key)
    {
        var text = Text(key);
        if (!ArtifactId.TryParse(text.StartsWith("sha256:", StringComparison.Ordinal) ? text[7..] : text, out var id))
        {
            throw new StepFailedException($"step '{Step.Name}': '{key}' must name a model artifact (e.g. ${{train.model}}), got '{text}'");
        }

        return await Services.Artifacts.LoadAsync(id, CancellationToken);
    }

    /// <summary>The earlier step output (e.g. the train step) whose <c>model</c> is <paramref name="model"/>, if any.</summary>
    public JsonObject? ProducerOf(string model) =>
        Earlier.Values.FirstOrDefault(o => o["model"]?.ToString() == model && o["trainer"] is not null);
}

/// <summary><c>name</c> or <c>name@version</c>.</summary>
public static class DatasetReference
{
    /// <summary>Splits a dataset reference.</summary>
    public static (string Name, int? Version) Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return (reference, null);
        }

        return int.TryParse(reference.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1
            ? (reference[..at], v)
            : throw new StepFailedException($"'{reference}' is not a dataset reference; use NAME or NAME@VERSION");
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Escala.Core.Access;
using Escala.Core.Artifacts;
using Escala.Core.Audit;
using Escala.Core.Datasets;
using Escala.Core.Monitoring.Accuracy;
using Escala.Core.Monitoring.Settings;
using Escala.Core.Naming;
using Escala.Core.PredictionLog;
using Escala.Core.Problems;

namespace Escala.Training.Datasets;

/// <summary>
/// Datasets: versioned CSV files stored content-addressed (the fingerprint is the SHA-256 of the bytes), uploaded or
/// built from production: the logged inputs of every request that received a ground-truth label, with the label.
/// </summary>
public sealed class DatasetCatalog(IDatasetStore store, IArtifactStore artifacts, IFeedbackStore feedback, IPredictionLogStore log, TimeProvider time)
{
    /// <summary>The most rows a from-feedback dataset takes.</summary>
    public const int MaxFeedbackRows = 100_000;

    /// <summary>Every dataset version.</summary>
    public Task<IReadOnlyList<DatasetVersion>> ListAsync(CancellationToken cancellationToken = default) => store.ListAsync(cancellationToken);

    /// <summary>A dataset version (<c>name</c> or <c>name@version</c>); throws not-found.</summary>
    public async Task<DatasetVersion> GetAsync(string reference, CancellationToken cancellationToken = default)
    {
        var (name, version) = Parse(reference);
        return await store.FindAsync(name, version, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no dataset '{reference}'. Upload one with `escala datasets upload {name} FILE.csv`.");
    }

    /// <summary>The CSV bytes of a version, verified.</summary>
    public async Task<byte[]> LoadAsync(DatasetVersion dataset, CancellationToken cancellationToken = default) =>
        await artifacts.LoadAsync((dataset ?? throw new ArgumentNullException(nameof(dataset))).Artifact, cancellationToken);

    /// <summary>Stores <paramref name="csv"/> as the next version of <paramref name="name"/>; refuses malformed CSV naming the line.</summary>
    public async Task<DatasetVersion> UploadAsync(Principal caller, string name, byte[] csv, string source = "upload", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(csv);
        ResourceName.Require("dataset", name);
        CsvSchema schema;
        try
        {
            using var reader = new StreamReader(new MemoryStream(csv), Encoding.UTF8);
            schema = CsvSchema.Read(reader);
        }
        catch (InvalidDataException e)
        {
            throw ProblemTypes.InvalidDataset.With($"The CSV for '{name}' is not valid: {e.Message}.");
        }

        var put = await artifacts.PutAsync(csv, cancellationToken);
        var now = time.GetUtcNow();
        var draft = new DatasetVersion(name, 0, put.Id.ToString(), schema.Rows,
            [.. schema.Columns.Select(c => new DatasetColumn(c.Name, c.Kind == ColumnKind.Numeric ? "numeric" : "categorical"))], source, now, caller.AuditName);
        return await store.AddAsync(draft, version => AuditEntry.Create(now, caller, "dataset.create",
            $"dataset/{name}/versions/{version.Version.ToString(CultureInfo.InvariantCulture)}", null, version), cancellationToken);
    }

    /// <summary>
    /// A new version of <paramref name="name"/> from <paramref name="endpoint"/>'s production traffic since <paramref name="since"/>:
    /// one row per labelled prediction, with the logged record fields and the label in column <paramref name="labelColumn"/>
    /// (binary truths written as <paramref name="positive"/>/<paramref name="negative"/>).
    /// </summary>
    public async Task<DatasetVersion> FromFeedbackAsync(
        Principal caller, string name, string endpoint, DateTimeOffset since, string labelColumn, string positive, string negative, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ResourceName.Require("dataset", name);
        var labels = await feedback.ListAsync(endpoint, since, cancellationToken);
        if (labels.Count == 0)
        {
            throw ProblemTypes.ValidationFailed.With($"The endpoint '{endpoint}' has no ground-truth labels for predictions since {since:u}; post labels to /v1/endpoints/{endpoint}/feedback first.");
        }

        var header = new List<string>();
        var rows = new List<Dictionary<string, string>>();
        foreach (var label in labels.Take(MaxFeedbackRows))
        {
            var lines = await log.QueryAsync(new PredictionLogQuery(endpoint, label.RequestId, 10), cancellationToken);
            var served = lines.FirstOrDefault(l => l.Kind == PredictionKind.Served);
            if (served is null || RecordRow(served.Inputs, label.Row) is not { } record)
            {
                continue;
            }

            foreach (var key in record.Keys.Where(k => !header.Contains(k)))
            {
                header.Add(key);
            }

            record[labelColumn] = label.Task switch
            {
                GroundTruthTask.Binary => label.ActualLabel == "1" ? positive : negative,
                GroundTruthTask.Regression => label.ActualValue?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty,
                _ => label.ActualLabel ?? string.Empty,
            };
            rows.Add(record);
        }

        if (rows.Count == 0)
        {
            throw ProblemTypes.ValidationFailed.With($"None of the {labels.Count} labels of '{endpoint}' since {since:u} has its request in the prediction log (sampled out or past retention).");
        }

        if (header.Contains(labelColumn))
        {
            throw ProblemTypes.ValidationFailed.With($"The logged inputs already have a field '{labelColumn}'; choose another label column name.");
        }

        header.Add(labelColumn);
        var csv = new StringBuilder().AppendJoin(',', header).Append('\n');
        foreach (var row in rows)
        {
            csv.AppendJoin(',', header.Select(h => row.TryGetValue(h, out var v) ? v : string.Empty)).Append('\n');
        }

        return await UploadAsync(caller, name, Encoding.UTF8.GetBytes(csv.ToString()),
            $"feedback:{endpoint} since {since.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}", cancellationToken);
    }

    private static Dictionary<string, string>? RecordRow(ReadOnlyMemory<byte> inputs, int row)
    {
        using var document = JsonDocument.Parse(inputs);
        var root = document.RootElement;
        // The records API logs its records array; a full body holds it under "records".
        var records = root.ValueKind == JsonValueKind.Array ? root
            : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("records", out var r) ? r : default;
        if (records.ValueKind == JsonValueKind.Array && row < records.GetArrayLength() && records[row].ValueKind == JsonValueKind.Object)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var field in records[row].EnumerateObject())
            {
                values[field.Name] = field.Value.ValueKind switch
                {
                    JsonValueKind.String => (field.Value.GetString() ?? string.Empty).Replace(",", " ", StringComparison.Ordinal),
                    JsonValueKind.Null => string.Empty,
                    JsonValueKind.Array when field.Value.GetArrayLength() == 1 => field.Value[0].ToString(),
                    _ => field.Value.GetRawText(),
                };
            }

            return values;
        }

        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("inputs", out var tensors) && tensors.ValueKind == JsonValueKind.Array)
        {
            // Open Inference Protocol: one value per row for [N] or [N,1] inputs.
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var tensor in tensors.EnumerateArray())
            {
                if (tensor.TryGetProperty("name", out var n) && tensor.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
                    && row < data.GetArrayLength() && data[row].ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
                {
                    values[n.GetString()!] = data[row].ValueKind == JsonValueKind.String ? data[row].GetString()! : data[row].GetRawText();
                }
            }

            return values.Count > 0 ? values : null;
        }

        return null;
    }

    private static (string Name, int? Version) Parse(string reference)
    {
        try
        {
            return Pipelines.DatasetReference.Parse(reference);
        }
        catch (Pipelines.StepFailedException e)
        {
            throw ProblemTypes.ValidationFailed.With(e.Message);
        }
    }
}

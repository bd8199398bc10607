using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Escala.Cli.Client;

namespace Escala.Cli.Batch;

/// <summary>What a batch run did.</summary>
public sealed record BatchSummary(long Rows, long Chunks, IReadOnlyDictionary<string, long> RowsByVersion, long FallbackRows, TimeSpan Elapsed);

/// <summary>
/// Scores a CSV file through an endpoint's records API in chunks, streaming: rows are read a chunk at
/// a time, at most <c>parallel</c> chunks are in flight, and each answered chunk is written out in
/// input order before more is read, so memory stays flat whatever the file's size. The output has
/// the input's columns, then the predictions (arrays spread as <c>name_0, name_1...</c>, label ->
/// probability maps as <c>name_label</c>), then which version scored the row, whether it was a
/// fallback and the request id (to join ground truth later).
/// </summary>
public sealed class CsvBatchScorer(EscalaClient client, string endpoint, string? version, string? department, int chunkRows, int parallel)
{
    private readonly Dictionary<string, long> _byVersion = new(StringComparer.Ordinal);
    private long _fallbackRows;

    /// <summary>Scores <paramref name="input"/> into <paramref name="output"/>; <paramref name="progress"/> gets the input bytes consumed.</summary>
    public async Task<BatchSummary> ScoreAsync(Stream input, TextWriter output, IProgress<long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var inputs = await ModelInputsAsync(ct);
        using var reader = new StreamReader(input, leaveOpen: true);
        var csv = new CsvRecordReader(reader);
        if (Read(csv, ct) is not { Count: > 0 } headerFields || headerFields.All(h => h.Length == 0))
        {
            throw new CliException("The input CSV is empty; its first line must name the columns.");
        }

        var header = headerFields.ToArray();
        var columns = Plan(header, inputs);
        var writer = new CsvRecordWriter(output);
        string[]? predictionColumns = null;
        var pending = new Queue<(List<string[]> Rows, long FirstLine, Task<JsonElement> Answer)>();
        long rows = 0, chunks = 0, line = 1;
        while (true)
        {
            var chunk = new List<string[]>(chunkRows);
            var firstLine = line + 1;
            while (chunk.Count < chunkRows && Read(csv, ct) is { } fields)
            {
                line = csv.Line;
                if (fields.Count == 1 && fields[0].Length == 0)
                {
                    continue; // a blank line
                }

                if (fields.Count != header.Length)
                {
                    throw new CliException($"Line {csv.Line} has {fields.Count} fields but the header has {header.Length}.");
                }

                chunk.Add([.. fields]);
            }

            if (chunk.Count > 0)
            {
                pending.Enqueue((chunk, firstLine, SendAsync(Records(chunk, header, columns, firstLine), firstLine, ct)));
                rows += chunk.Count;
                chunks++;
                progress?.Report(input.CanSeek ? input.Position : rows);
            }

            // Keep `parallel` chunks in flight; write the oldest once it is answered (input order is kept).
            while (pending.Count > 0 && (pending.Count >= parallel || chunk.Count == 0))
            {
                var (done, first, answer) = pending.Dequeue();
                var body = await answer;
                predictionColumns ??= WriteHeader(writer, header, body);
                WriteRows(writer, done, body, predictionColumns, first);
            }

            if (chunk.Count == 0)
            {
                break;
            }
        }

        if (predictionColumns is null)
        {
            throw new CliException("The input CSV has a header but no rows.");
        }

        await output.FlushAsync(ct);
        return new BatchSummary(rows, chunks, _byVersion, _fallbackRows, started.Elapsed);
    }

    private static List<string>? Read(CsvRecordReader csv, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            return csv.Read();
        }
        catch (FormatException e)
        {
            throw new CliException(e.Message, e);
        }
    }

    private async Task<IReadOnlyList<(string Name, string Datatype)>> ModelInputsAsync(CancellationToken ct)
    {
        var metadata = await client.GetJsonAsync($"v2/models/{Uri.EscapeDataString(endpoint)}", ct);
        return [.. metadata.GetProperty("inputs").EnumerateArray().Select(i => (i.GetProperty("name").GetString()!, i.GetProperty("datatype").GetString()!))];
    }

    // The datatype of each column (null: not sent): by input name, or all columns for a single vector input.
    private static string?[] Plan(string[] header, IReadOnlyList<(string Name, string Datatype)> inputs)
    {
        var byName = inputs.ToDictionary(i => i.Name, i => i.Datatype, StringComparer.Ordinal);
        if (header.Any(byName.ContainsKey))
        {
            var missing = inputs.Where(i => !header.Contains(i.Name, StringComparer.Ordinal)).Select(i => i.Name).ToList();
            if (missing.Count > 0)
            {
                throw new CliException($"The CSV has no column {string.Join(", ", missing.Select(m => $"'{m}'"))}, which the model needs (its inputs: {string.Join(", ", inputs.Select(i => i.Name))}).");
            }

            return [.. header.Select(h => byName.GetValueOrDefault(h))];
        }

        if (inputs.Count == 1)
        {
            return [.. header.Select(_ => (string?)inputs[0].Datatype)];
        }

        throw new CliException($"No CSV column is named like a model input ({string.Join(", ", inputs.Select(i => i.Name))}); name the columns after the inputs.");
    }

    private static byte[] Records(List<string[]> rows, string[] header, string?[] columns, long firstLine)
    {
        var buffer = new ArrayBufferWriter<byte>(rows.Count * header.Length * 8 + 32);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("records");
            for (var r = 0; r < rows.Count; r++)
            {
                json.WriteStartObject();
                for (var c = 0; c < header.Length; c++)
                {
                    if (columns[c] is not { } datatype)
                    {
                        continue;
                    }

                    json.WritePropertyName(header[c]);
                    Value(json, rows[r][c], datatype, firstLine + r, header[c]);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Value(Utf8JsonWriter json, string text, string datatype, long line, string column)
    {
        if (datatype == "BYTES")
        {
            json.WriteStringValue(text);
            return;
        }

        if (text.Length == 0)
        {
            json.WriteNullValue(); // a missing value: NaN for float inputs, an error the server names for others
            return;
        }

        if (datatype == "BOOL")
        {
            json.WriteBooleanValue(text is "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase));
            return;
        }

        if (text is "NaN" or "Infinity" or "-Infinity")
        {
            json.WriteStringValue(text);
            return;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            throw new CliException($"Line {line}, column '{column}': '{text}' is not a number ({datatype}).");
        }

        if (datatype.StartsWith("INT", StringComparison.Ordinal) || datatype.StartsWith("UINT", StringComparison.Ordinal))
        {
            json.WriteNumberValue((long)number);
        }
        else
        {
            json.WriteNumberValue(number);
        }
    }

    private async Task<JsonElement> SendAsync(byte[] body, long firstLine, CancellationToken ct)
    {
        var pinned = version is null ? "" : $"/versions/{Uri.EscapeDataString(version)}";
        try
        {
            var (answer, _) = await client.SendWithStatusAsync<JsonElement>(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, $"v1/endpoints/{Uri.EscapeDataString(endpoint)}{pinned}/predict") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                if (department is not null)
                {
                    request.Headers.Add("X-Escala-Department", department);
                }

                return request;
            }, ct);
            return answer;
        }
        catch (CliException e)
        {
            throw new CliException($"The chunk starting at line {firstLine} was refused: {e.Message}", e);
        }
    }

    private static string[] WriteHeader(CsvRecordWriter writer, string[] header, JsonElement answer)
    {
        var columns = new List<string>();
        foreach (var property in answer.GetProperty("predictions")[0].EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Array:
                    columns.AddRange(Enumerable.Range(0, property.Value.GetArrayLength()).Select(i => $"{property.Name}_{i}"));
                    break;
                case JsonValueKind.Object:
                    columns.AddRange(property.Value.EnumerateObject().Select(p => $"{property.Name}_{p.Name}"));
                    break;
                default:
                    columns.Add(property.Name);
                    break;
            }
        }

        foreach (var name in header.Concat(columns).Concat(["escala_version", "escala_fallback", "escala_request_id"]))
        {
            writer.Field(name);
        }

        writer.EndRecord();
        return [.. columns];
    }

    private void WriteRows(CsvRecordWriter writer, List<string[]> rows, JsonElement answer, string[] predictionColumns, long firstLine)
    {
        var predictions = answer.GetProperty("predictions");
        if (predictions.GetArrayLength() != rows.Count)
        {
            throw new CliException($"The chunk starting at line {firstLine} sent {rows.Count} rows but {predictions.GetArrayLength()} predictions came back.");
        }

        var served = answer.GetProperty("version").GetString() ?? "default-answer";
        var fallback = answer.GetProperty("fallback").GetBoolean();
        var requestId = answer.GetProperty("requestId").GetString();
        _byVersion[served] = _byVersion.GetValueOrDefault(served) + rows.Count;
        _fallbackRows += fallback ? rows.Count : 0;
        var values = new Dictionary<string, string>(predictionColumns.Length, StringComparer.Ordinal);
        for (var r = 0; r < rows.Count; r++)
        {
            values.Clear();
            foreach (var property in predictions[r].EnumerateObject())
            {
                Flatten(property.Name, property.Value, values);
            }

            foreach (var field in rows[r])
            {
                writer.Field(field);
            }

            foreach (var column in predictionColumns)
            {
                writer.Field(values.GetValueOrDefault(column, ""));
            }

            writer.Field(served);
            writer.Field(fallback ? "true" : "false");
            writer.Field(requestId ?? "");
            writer.EndRecord();
        }
    }

    private static void Flatten(string name, JsonElement value, Dictionary<string, string> into)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    into[$"{name}_{i++}"] = Scalar(item);
                }

                break;
            case JsonValueKind.Object:
                foreach (var p in value.EnumerateObject())
                {
                    into[$"{name}_{p.Name}"] = Scalar(p.Value);
                }

                break;
            default:
                into[name] = Scalar(value);
                break;
        }
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Escala.Core.PredictionLog;

namespace Escala.Core.Privacy;

/// <summary>
/// Applies endpoints' <see cref="PrivacyPolicy"/> to prediction log lines: the logged inputs (records, or an OIP
/// request's inputs by name) have their fields kept, dropped, masked or replaced by a keyed HMAC, and the subject key
/// is replaced by its HMAC, so erasure can find a subject's lines from the key without the log holding it.
/// </summary>
public sealed class PersonalDataMasker(byte[] key)
{
    private const string HashPrefix = "hmac:";

    /// <summary>The keyed hash of a value as the log stores it (<c>hmac:</c> + 32 hex digits of HMAC-SHA256).</summary>
    public string Hash(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value));
        return HashPrefix + Convert.ToHexStringLower(mac.AsSpan(0, 16));
    }

    /// <summary>The record with <paramref name="policy"/> applied to its inputs and subject.</summary>
    public PredictionRecord Apply(PredictionRecord record, PrivacyPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(policy);
        return record with
        {
            Subject = record.Subject is null ? null : Hash(record.Subject),
            Inputs = policy.Fields.Count == 0 || record.Inputs.IsEmpty ? record.Inputs : ApplyToInputs(record.Inputs, policy),
        };
    }

    /// <summary>The logged inputs (UTF-8 JSON) with the field policies applied; unparseable inputs are not logged at all.</summary>
    public ReadOnlyMemory<byte> ApplyToInputs(ReadOnlyMemory<byte> json, PrivacyPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json.Span);
        }
        catch (JsonException)
        {
            // Never write what could not be checked.
            return "null"u8.ToArray();
        }

        switch (root)
        {
            case JsonArray records:
                foreach (var record in records.OfType<JsonObject>())
                {
                    ApplyToRecord(record, policy);
                }

                break;
            case JsonObject body when body["inputs"] is JsonArray inputs:
                ApplyToTensors(inputs, policy);
                break;
            case JsonObject body when body["records"] is JsonArray records:
                foreach (var record in records.OfType<JsonObject>())
                {
                    ApplyToRecord(record, policy);
                }

                break;
            case JsonObject record:
                ApplyToRecord(record, policy);
                break;
            default:
                break;
        }

        return Encoding.UTF8.GetBytes(root?.ToJsonString() ?? "null");
    }

    private void ApplyToRecord(JsonObject record, PrivacyPolicy policy)
    {
        foreach (var name in record.Select(p => p.Key).ToList())
        {
            if (!policy.Fields.TryGetValue(name, out var field) || field.Action == FieldAction.Keep)
            {
                continue;
            }

            if (field.Action == FieldAction.Drop)
            {
                record.Remove(name);
                continue;
            }

            record[name] = Transform(record[name], field);
        }
    }

    private void ApplyToTensors(JsonArray inputs, PrivacyPolicy policy)
    {
        foreach (var input in inputs.OfType<JsonObject>().ToList())
        {
            if (input["name"]?.GetValueKind() != JsonValueKind.String || !policy.Fields.TryGetValue(input["name"]!.GetValue<string>(), out var field)
                || field.Action == FieldAction.Keep)
            {
                continue;
            }

            if (field.Action == FieldAction.Drop)
            {
                inputs.Remove(input);
                continue;
            }

            input["data"] = Transform(input["data"], field);
            input["datatype"] = "BYTES";
        }
    }

    private JsonNode? Transform(JsonNode? value, FieldPolicy field)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonArray array:
                var result = new JsonArray();
                foreach (var item in array)
                {
                    result.Add(Transform(item, field));
                }

                return result;
            default:
                var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
                return JsonValue.Create(field.Action == FieldAction.Hash ? Hash(text) : Mask(text, field));
        }
    }

    private static string Mask(string text, FieldPolicy field)
    {
        // Keep no more than half the value, whatever the policy says: a short value is mostly masked.
        var prefix = Math.Min(field.KeepPrefix, text.Length / 2);
        var suffix = Math.Min(field.KeepSuffix, (text.Length / 2) - prefix);
        return string.Concat(text.AsSpan(0, prefix), "****", text.AsSpan(text.Length - suffix));
    }
}

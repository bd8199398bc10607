using System.CommandLine;
using System.Text;
using System.Text.Json;
using Escala.Cli.Client;

namespace Escala.Cli.Endpoints;

/// <summary><c>escala predict ENDPOINT --input F</c>: one prediction request, as an application would send it.</summary>
public static class PredictCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint." };
        var input = new Option<FileInfo>("--input")
        {
            Description = "A JSON file: an Open Inference Protocol v2 request ({\"inputs\": [...]}), records ({\"records\": [...]}), a list of records, or one record.",
            Required = true,
        };
        var version = new Option<string?>("--version") { Description = "Pin a version of the endpoint (e.g. credit-risk:2) instead of its routing." };
        var department = new Option<string?>("--department") { Description = "Attribute the request to this department (your key must be allowed to)." };
        var subject = new Option<string?>("--subject") { Description = "The subject key for A/B tests (sent as X-Escala-Subject)." };
        var json = ClientOptions.Json;
        var command = new Command("predict", "Send one prediction request to an endpoint and print the answer, the version that served it and whether it was a fallback.")
        {
            endpoint, input, version, department, subject, json,
        };
        command.WithClientOptions();
        return command.Runs(async (cli, ct) =>
        {
            var file = cli.Get(input)!;
            if (!file.Exists)
            {
                throw new CliException($"The input file {file.FullName} does not exist.");
            }

            var (body, protocol) = Body(await File.ReadAllBytesAsync(file.FullName, ct), file.Name);
            var name = Uri.EscapeDataString(cli.Get(endpoint)!);
            var pinned = cli.Get(version) is { } v ? $"/versions/{Uri.EscapeDataString(v)}" : "";
            var path = protocol ? $"v2/models/{name}{pinned}/infer" : $"v1/endpoints/{name}{pinned}/predict";
            var (answer, _) = await cli.Client.SendWithStatusAsync<JsonElement>(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                if (cli.Get(department) is { } d)
                {
                    request.Headers.Add("X-Escala-Department", d);
                }

                if (cli.Get(subject) is { } s)
                {
                    request.Headers.Add("X-Escala-Subject", s);
                }

                return request;
            }, ct);

            if (cli.Get(json))
            {
                cli.WriteJson(answer);
                return;
            }

            var (served, fallback, requestId, source) = protocol
                ? (answer.TryGetProperty("model_version", out var mv) ? mv.GetString() : null,
                   answer.GetProperty("parameters").GetProperty("escala_fallback").GetBoolean(),
                   answer.GetProperty("parameters").GetProperty("escala_request_id").GetString(),
                   answer.GetProperty("parameters").GetProperty("escala_source").GetString())
                : (answer.GetProperty("version").GetString(), answer.GetProperty("fallback").GetBoolean(),
                   answer.GetProperty("requestId").GetString(), answer.GetProperty("source").GetString());
            cli.Line($"{served ?? "the default answer"} answered{(fallback ? $" as a fallback ({source})" : "")}; request id {requestId}");
            cli.WriteJson(protocol ? answer.GetProperty("outputs") : answer.GetProperty("predictions"));
        });
    }

    // The body to send and whether it goes to the v2 route (true) or the records route.
    internal static (byte[] Body, bool Protocol) Body(byte[] file, string name)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(file);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new CliException($"{name} is not JSON: {e.Message}");
        }

        return root.ValueKind switch
        {
            JsonValueKind.Object when root.TryGetProperty("inputs", out _) => (file, true),
            JsonValueKind.Object when root.TryGetProperty("records", out _) => (file, false),
            JsonValueKind.Array => (Encoding.UTF8.GetBytes($"{{\"records\":{root.GetRawText()}}}"), false),
            JsonValueKind.Object => (Encoding.UTF8.GetBytes($"{{\"records\":[{root.GetRawText()}]}}"), false),
            _ => throw new CliException($"{name} must hold a v2 request ({{\"inputs\": [...]}}), records, a list of records or one record."),
        };
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Escala.Cli.Client;
using Escala.Cli.Endpoints;

namespace Escala.Cli.Governance;

/// <summary><c>escala explain ENDPOINT --input F</c>: why the endpoint's model answers what it answers for some rows.</summary>
public static class ExplainCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint." };
        var input = new Option<FileInfo>("--input")
        {
            Description = "A JSON file: an Open Inference Protocol v2 request, records ({\"records\": [...]}), a list of records, or one record (at most 100 rows).",
            Required = true,
        };
        var method = new Option<string?>("--method") { Description = "linear-exact, tree-interventional, tree-path-dependent or sampling-approximate (default: the best exact one)." };
        var permutations = new Option<int?>("--permutations") { Description = "Permutations per row for sampling-approximate (default 200)." };
        var top = new Option<int>("--top") { Description = "Features shown per row, largest attributions first.", DefaultValueFactory = _ => 10 };
        var json = ClientOptions.Json;
        var command = new Command("explain", "Explain an endpoint's predictions: each input feature's contribution (SHAP values) per output and class, with the expected value and the method.")
        {
            endpoint, input, method, permutations, top, json,
        };
        command.WithClientOptions();
        return command.Runs(async (cli, ct) =>
        {
            var file = cli.Get(input)!;
            if (!file.Exists)
            {
                throw new CliException($"The input file {file.FullName} does not exist.");
            }

            var (body, protocol) = PredictCommand.Body(await File.ReadAllBytesAsync(file.FullName, ct), file.Name);
            var name = Uri.EscapeDataString(cli.Get(endpoint)!);
            var query = new List<string>();
            if (cli.Get(method) is { } m)
            {
                query.Add($"method={Uri.EscapeDataString(m)}");
            }

            if (cli.Get(permutations) is { } p)
            {
                query.Add(string.Create(CultureInfo.InvariantCulture, $"permutations={p}"));
            }

            var path = (protocol ? $"v2/models/{name}/explain" : $"v1/endpoints/{name}/explain") + (query.Count > 0 ? "?" + string.Join('&', query) : "");
            var (answer, _) = await cli.Client.SendWithStatusAsync<JsonElement>(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                return request;
            }, ct);

            if (cli.Get(json))
            {
                cli.WriteJson(answer);
                return;
            }

            Print(cli, answer, Math.Max(1, cli.Get(top)));
        });
    }

    private static void Print(CliContext cli, JsonElement answer, int top)
    {
        var exact = answer.GetProperty("exact").GetBoolean();
        var backgroundRows = answer.GetProperty("backgroundRows").GetInt32();
        cli.Line(string.Create(CultureInfo.InvariantCulture,
            $"{answer.GetProperty("model").GetString()} v{answer.GetProperty("version").GetInt32()}: {answer.GetProperty("method").GetString()} " +
            $"({(exact ? "exact" : "approximate: a sampling estimate, ± one standard error")}, {answer.GetProperty("space").GetString()} space, " +
            $"{(backgroundRows > 0 ? $"against {backgroundRows} background rows" : "from the trees' training cover")})"));
        foreach (var output in answer.GetProperty("outputs").EnumerateArray())
        {
            var label = output.TryGetProperty("class", out var c) ? $"{output.GetProperty("output").GetString()} class {c.GetString()}" : $"{output.GetProperty("output").GetString()}[{output.GetProperty("column").GetInt32()}]";
            var expected = output.GetProperty("expectedValue").GetDouble();
            var r = 0;
            foreach (var row in output.GetProperty("rows").EnumerateArray())
            {
                cli.Line(string.Create(CultureInfo.InvariantCulture, $"row {r++}, {label}: {row.GetProperty("value").GetDouble():G6} = expected {expected:G6} + contributions"));
                var errors = row.TryGetProperty("standardErrors", out var se) ? se : (JsonElement?)null;
                foreach (var feature in row.GetProperty("attributions").EnumerateObject().OrderByDescending(f => Math.Abs(f.Value.GetDouble())).Take(top))
                {
                    var error = errors is { } e && e.TryGetProperty(feature.Name, out var v) ? string.Create(CultureInfo.InvariantCulture, $" ± {v.GetDouble():G3}") : "";
                    cli.Line(string.Create(CultureInfo.InvariantCulture, $"  {feature.Name,-24} {feature.Value.GetDouble(),12:+0.000000;-0.000000}{error}"));
                }
            }
        }
    }
}

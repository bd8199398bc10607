using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Escala.Cli.Client;

namespace Escala.Cli.Governance;

/// <summary>
/// <c>escala fairness MODEL:V --data holdout.csv --sensitive sex,race --label y [--positive VALUE]</c>: the version
/// scores the holdout on the server; the metrics are stored with it and written into its model card.
/// </summary>
public static class FairnessCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var target = new Argument<string>("target") { Description = "MODEL:VERSION to evaluate on a holdout table." };
        var data = new Option<FileInfo>("--data") { Description = "The holdout CSV: the model's features, the sensitive columns and the label.", Required = true };
        var sensitive = new Option<string>("--sensitive") { Description = "Sensitive columns, comma-separated (e.g. sex,race); not model inputs.", Required = true };
        var label = new Option<string>("--label") { Description = "The true label's column.", Required = true };
        var positive = new Option<string?>("--positive") { Description = "The label value of the positive class (default 1 or true)." };
        var minGroup = new Option<int?>("--min-group-size") { Description = "Groups smaller than this are shown, not compared (default 30)." };
        var json = ClientOptions.Json;
        var command = new Command("fairness", "Fairness metrics of a binary classifier by sensitive attribute (Fairlearn's definitions), with bootstrap intervals and the four-fifths rule.")
        {
            target, data, sensitive, label, positive, minGroup, json,
        };
        command.WithClientOptions();
        return command.Runs(async (cli, ct) =>
        {
            var spec = cli.Get(target)!;
            var colon = spec.LastIndexOf(':');
            if (colon <= 0 || colon == spec.Length - 1)
            {
                throw new CliException($"'{spec}' is not MODEL:VERSION (e.g. credit-risk:3).");
            }

            var file = cli.Get(data)!;
            if (!file.Exists)
            {
                throw new CliException($"The holdout file {file.FullName} does not exist.");
            }

            var query = $"sensitive={Uri.EscapeDataString(cli.Get(sensitive)!)}&label={Uri.EscapeDataString(cli.Get(label)!)}"
                + (cli.Get(positive) is { } p ? $"&positive={Uri.EscapeDataString(p)}" : "")
                + (cli.Get(minGroup) is { } m ? string.Create(CultureInfo.InvariantCulture, $"&minGroupSize={m}") : "");
            var path = $"api/v1/models/{Uri.EscapeDataString(spec[..colon])}/versions/{Uri.EscapeDataString(spec[(colon + 1)..])}/fairness?{query}";
            var bytes = await File.ReadAllBytesAsync(file.FullName, ct);
            var (answer, _) = await cli.Client.SendWithStatusAsync<JsonElement>(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
                return request;
            }, ct);
            if (cli.Get(json))
            {
                cli.WriteJson(answer);
                return;
            }

            Print(cli, answer);
        });
    }

    private static void Print(CliContext cli, JsonElement evaluation)
    {
        cli.Line(string.Create(CultureInfo.InvariantCulture,
            $"{evaluation.GetProperty("model").GetString()} v{evaluation.GetProperty("version").GetInt32()}: {evaluation.GetProperty("rows").GetInt32()} holdout rows, positive class '{evaluation.GetProperty("positive").GetString()}' (stored; written into the model card)"));
        foreach (var report in evaluation.GetProperty("reports").EnumerateArray())
        {
            cli.Line($"{report.GetProperty("attribute").GetString()}:");
            foreach (var g in report.GetProperty("groups").EnumerateArray())
            {
                cli.Line(string.Create(CultureInfo.InvariantCulture,
                    $"  {g.GetProperty("group").GetString(),-16} n={g.GetProperty("count").GetInt32(),-6} selection {Rate(g, "selectionRate")}  TPR {Rate(g, "truePositiveRate")}  FPR {Rate(g, "falsePositiveRate")}  accuracy {Rate(g, "accuracy")}{(g.GetProperty("tooSmall").GetBoolean() ? "  (too small: not compared)" : "")}"));
            }

            foreach (var (name, key) in new[] { ("demographic parity difference", "demographicParityDifference"), ("equal opportunity difference", "equalOpportunityDifference"), ("equalized odds difference", "equalizedOddsDifference"), ("disparate impact ratio", "disparateImpactRatio") })
            {
                var d = report.GetProperty(key);
                cli.Line(string.Create(CultureInfo.InvariantCulture, $"  {name,-30} {Rate(d, "value")}  [{Rate(d, "lower")}, {Rate(d, "upper")}]"));
            }

            var flag = report.GetProperty("fourFifthsViolated");
            cli.Line("  four-fifths rule: " + (flag.ValueKind == JsonValueKind.True ? "VIOLATED" : flag.ValueKind == JsonValueKind.False ? "met" : "not assessed"));
            foreach (var note in report.GetProperty("notes").EnumerateArray())
            {
                cli.Line($"  note: {note.GetString()}");
            }
        }
    }

    private static string Rate(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
}

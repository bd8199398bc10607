using System.Globalization;
using System.Text.Json;
using Escala.Cli.Client;
using Escala.Server.Access;
using Escala.Server.Endpoints;

namespace Escala.Cli.Demo;

/// <summary>
/// The demo's gateway part: an endpoint owned by the pilot department, the production version
/// rolled out to that department alone, the challenger canaried inside it, the split shown from
/// real predictions and the gateway's own counters, then a rollback, all audited.
/// </summary>
public static class ServingDemo
{
    private const string Endpoint = "credit-risk";
    private const string Pilot = "risk";

    /// <summary>
    /// Runs the serving steps against the demo's server; versions <paramref name="champion"/> and <paramref name="challenger"/>
    /// exist. Returns the keys of the endpoint's operator and of the pilot department's application, for the next steps.
    /// </summary>
    public static async Task<(string OperatorKey, string AppKey)> RunAsync(string url, string folder, EscalaClient admin, int champion, int challenger, Action<string> say, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var olivia = await admin.PostAsync<CreatedKeyResponse>("api/v1/keys", new CreateKeyRequest("olivia", "operator", [Pilot]), ct);
        var riskApp = await admin.PostAsync<CreatedKeyResponse>("api/v1/keys", new CreateKeyRequest("risk-underwriting-app", "viewer", [Pilot]), ct);
        var retailApp = await admin.PostAsync<CreatedKeyResponse>("api/v1/keys", new CreateKeyRequest("retail-branch-app", "viewer", ["retail-banking"]), ct);
        using var asOlivia = new EscalaClient(url, olivia.Secret);
        using var asRiskApp = new EscalaClient(url, riskApp.Secret);
        using var asRetailApp = new EscalaClient(url, retailApp.Secret);
        say($"   olivia (operator in {Pilot}) runs the gateway; two applications call it: one in {Pilot}, one in retail-banking");

        using (var fallbackAnswer = JsonDocument.Parse("""{"probability": [0.5]}"""))
        {
            await asOlivia.PostAsync<EndpointResponse>("api/v1/endpoints", new CreateEndpointRequest(Endpoint, Pilot,
                "Default risk of a credit application, for underwriters.",
                new EndpointSettingsRequest(DeadlineMs: 250, DefaultAnswer: fallbackAnswer.RootElement.Clone())), ct);
        }

        say($"   olivia created endpoint {Endpoint} (owned by {Pilot}; deadline 250 ms; default answer {{\"probability\": [0.5]}} if every version fails)");
        var deployed = await asOlivia.PostAsync<EndpointChangeResponse>($"api/v1/endpoints/{Endpoint}/deploy",
            new DeployRequest($"credit-risk:{champion}", Department: Pilot), ct);
        say($"   deploy credit-risk:{champion} to the pilot department only -> {deployed.Message}");
        await asOlivia.PutAsync<EndpointChangeResponse>($"api/v1/endpoints/{Endpoint}/fallback", new FallbackRequest($"credit-risk:{champion}"), ct);
        say($"   fallback version set to credit-risk:{champion}");

        var applications = CreditApplications.Generate(1_000, seed: 7);
        try
        {
            await PredictAsync(asRetailApp, applications.Features[0], ct);
            throw new CliException("retail-banking was served by an endpoint rolled out to risk only; department routing is broken.");
        }
        catch (CliException refused) when (refused.Message.Contains("rolled out to", StringComparison.Ordinal))
        {
            say($"   retail-banking's app called it -> refused: {refused.Message}");
        }

        var before = await ScoreAsync(asRiskApp, applications, 0, 300, ct);
        say($"   {Pilot}'s app scored 300 applications -> {Describe(before)}");

        var canary = await asOlivia.PostAsync<EndpointChangeResponse>($"api/v1/endpoints/{Endpoint}/deploy",
            new DeployRequest($"credit-risk:{challenger}", Strategy: "canary", Department: Pilot, Steps: [20, 50, 100]), ct);
        say($"   canary credit-risk:{challenger} in {Pilot} -> {canary.Message}");
        var split = await ScoreAsync(asRiskApp, applications, 300, 500, ct);
        say($"   {Pilot}'s app scored 500 applications -> {Describe(split)}  <- the split, from the answers themselves");
        var shown = await admin.GetAsync<EndpointResponse>($"api/v1/endpoints/{Endpoint}", ct);
        say($"   the gateway's counters since start: {string.Join(", ", shown.Targets.Select(t => $"{t.Key} answered {t.Answered:N0}"))}");

        var rolledBack = await asOlivia.PostAsync<EndpointChangeResponse>($"api/v1/endpoints/{Endpoint}/rollback", new RollbackRequest(Pilot), ct);
        say($"   rollback in {Pilot} -> {rolledBack.Message}");
        var after = await ScoreAsync(asRiskApp, applications, 800, 200, ct);
        say($"   {Pilot}'s app scored 200 more applications -> {Describe(after)}");

        var example = Path.Combine(folder, "application.json");
        await File.WriteAllTextAsync(example, JsonSerializer.Serialize(new { records = new[] { Record(applications.Features[999]) } }), ct);
        var log = await admin.GetAsync<PredictionLogLine[]>($"api/v1/endpoints/{Endpoint}/predictions?limit=10000", ct);
        say($"   prediction log: {log.Length:N0} lines so far (written in batches off the request path), each with request id, version, department and latency;");
        say($"   the newest: {log.FirstOrDefault()?.Version} for {log.FirstOrDefault()?.Department} in {log.FirstOrDefault()?.LatencyMs:0.00} ms, request id {log.FirstOrDefault()?.RequestId}");
        return (olivia.Secret, riskApp.Secret);
    }

    private static async Task<Dictionary<string, (int Count, double Sum)>> ScoreAsync(EscalaClient app, CreditApplications applications, int from, int count, CancellationToken ct)
    {
        var byVersion = new Dictionary<string, (int Count, double Sum)>(StringComparer.Ordinal);
        for (var i = from; i < from + count; i++)
        {
            var answer = await PredictAsync(app, applications.Features[i], ct);
            var version = answer.GetProperty("version").GetString() ?? "default-answer";
            var probability = answer.GetProperty("predictions")[0].GetProperty("probability")[0].GetDouble();
            var (n, sum) = byVersion.GetValueOrDefault(version);
            byVersion[version] = (n + 1, sum + probability);
        }

        return byVersion;
    }

    // One application as a record of named features: the model's single vector input takes them in order.
    private static Task<JsonElement> PredictAsync(EscalaClient app, double[] features, CancellationToken ct) =>
        app.PostAsync<JsonElement>($"v1/endpoints/{Endpoint}/predict", new { records = new[] { Record(features) } }, ct);

    private static Dictionary<string, double> Record(double[] features)
    {
        var record = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var j = 0; j < features.Length; j++)
        {
            record[CreditApplications.FeatureNames[j]] = Math.Round(features[j], 4);
        }

        return record;
    }

    private static string Describe(Dictionary<string, (int Count, double Sum)> byVersion)
    {
        var total = byVersion.Values.Sum(v => v.Count);
        return string.Join(", ", byVersion.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture,
            $"{p.Key} {p.Value.Count} ({100.0 * p.Value.Count / total:0.0}%, mean default probability {p.Value.Sum / p.Value.Count:0.000})")));
    }
}

using System.Net.Http.Json;
using System.Text;
using Escala.Core.PredictionLog;
using Escala.Core.Problems;
using Escala.Server.Privacy;
using Escala.Server.Tests.Monitoring;
using Escala.Testing;

namespace Escala.Server.Tests.Privacy;

/// <summary>Personal data in the prediction log, through the real server and its data folder.</summary>
public sealed class PrivacyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hashed_and_dropped_values_appear_nowhere_in_the_data_folder_and_erasure_removes_exactly_the_subjects_rows()
    {
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync();
        var policy = await world.Admin.PutJsonAsync("api/v1/endpoints/scoring/privacy",
            new { fields = new Dictionary<string, string> { ["email"] = "hash", ["name"] = "drop", ["phone"] = "mask:2:2" } });
        Assert.True(policy.IsSuccessStatusCode, await policy.Content.ReadAsStringAsync(Ct));

        var people = new[] { ("alice-7781", "alice@example.org", "Alice Liddell", "0612345678"), ("bob-1234", "bob@example.org", "Bob Marley", "0698765432") };
        foreach (var (subject, email, name, phone) in people)
        {
            for (var i = 0; i < 3; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "v1/endpoints/scoring/predict")
                {
                    Content = JsonContent.Create(new { records = new[] { new { x = new[] { 0.1 * i, 5.0, 0.5 }, email, name, phone } } }),
                };
                request.Headers.Add("X-Escala-Subject", subject);
                var answer = await world.Admin.SendAsync(request, Ct);
                Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync(Ct));
            }
        }

        var log = world.Server.Service<IPredictionLogStore>();
        await Poll.UntilAsync(async () => (await log.QueryAsync(new PredictionLogQuery("scoring", Limit: 100), Ct)).Count == 6, TimeSpan.FromSeconds(30), "six logged lines");
        var lines = await log.QueryAsync(new PredictionLogQuery("scoring", Limit: 100), Ct);
        var masker = world.Server.Service<LogPrivacy>().Masker;
        var logged = Encoding.UTF8.GetString(lines[0].Inputs.Span);
        Assert.Contains(masker.Hash(lines[0].Subject == masker.Hash("alice-7781") ? "alice@example.org" : "bob@example.org"), logged, StringComparison.Ordinal);
        Assert.DoesNotContain("\"name\"", logged, StringComparison.Ordinal);
        Assert.Contains("06****", logged, StringComparison.Ordinal);

        // Nothing raw reached any file of the data folder (database, WAL, artifacts, keys).
        foreach (var (subject, email, name, phone) in people)
        {
            AssertNowhere(world.Server.DataDirectory, subject, email, name, phone);
        }

        var erased = await (await world.Admin.PostJsonAsync("api/v1/endpoints/scoring/privacy/erase", new { subject = "alice-7781" })).ReadAsync<ErasureResponse>();

        Assert.Equal(3, erased.Predictions);
        var left = await log.QueryAsync(new PredictionLogQuery("scoring", Limit: 100), Ct);
        Assert.Equal(3, left.Count);
        Assert.All(left, l => Assert.Equal(masker.Hash("bob-1234"), l.Subject));
        var audit = await world.Admin.GetStringAsync("api/v1/audit?limit=1000", Ct);
        Assert.Contains("privacy.erase", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_policies_and_an_empty_subject_are_refused()
    {
        await using var world = await MonitoringWorld.StartAsync();

        var unknown = await world.Admin.PutJsonAsync("api/v1/endpoints/scoring/privacy", new { fields = new Dictionary<string, string> { ["email"] = "encrypt" } });
        await unknown.AssertProblemAsync(ProblemTypes.ValidationFailed, "encrypt");
        var badMask = await world.Admin.PutJsonAsync("api/v1/endpoints/scoring/privacy", new { fields = new Dictionary<string, string> { ["email"] = "mask:x:2" } });
        await badMask.AssertProblemAsync(ProblemTypes.ValidationFailed);
        var badRetention = await world.Admin.PutJsonAsync("api/v1/endpoints/scoring/privacy", new { retention = new { predictionsDays = 0 } });
        await badRetention.AssertProblemAsync(ProblemTypes.ValidationFailed);
        var noSubject = await world.Admin.PostJsonAsync("api/v1/endpoints/scoring/privacy/erase", new { subject = "" });
        await noSubject.AssertProblemAsync(ProblemTypes.ValidationFailed);
        var unknownEndpoint = await world.Admin.PutJsonAsync("api/v1/endpoints/nope/privacy", new { fields = new Dictionary<string, string>() });
        await unknownEndpoint.AssertProblemAsync(ProblemTypes.NotFound);
    }

    private static void AssertNowhere(string folder, params string[] values)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }

            foreach (var value in values)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(value)) < 0, $"'{value}' was found in {file}");
            }
        }
    }
}

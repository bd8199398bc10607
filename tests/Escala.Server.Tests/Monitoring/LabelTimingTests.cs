using System.Net;
using System.Text.Json;
using Escala.Core.Problems;
using Escala.Server.Monitoring.GroundTruth;
using Escala.Testing;
using Microsoft.Data.Sqlite;

namespace Escala.Server.Tests.Monitoring;

/// <summary>
/// Ground truth posted the moment its answers arrive, through the real server: the lines may still be queued for the
/// prediction log, so the labels wait for them (bounded) and are joined; a log that cannot catch up answers a retryable
/// 503 with Retry-After, and the same batch succeeds once it has.
/// </summary>
public sealed class LabelTimingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Label((string RequestId, string Version, float[] P) answer) => new { requestId = answer.RequestId, label = answer.P[0] >= 0.5 ? 1 : 0 };

    [Fact]
    public async Task Labels_posted_right_after_their_answers_are_joined_even_while_the_lines_are_still_queued()
    {
        // A long linger: every line sits in the writer's queue for seconds after its answer, unless someone waits for it.
        await using var world = await MonitoringWorld.StartAsync(null, null, new Dictionary<string, string?> { ["PredictionLog:Linger"] = "00:00:30" });
        await world.RegisterAsync();

        for (var round = 0; round < 3; round++)
        {
            var served = await world.ServeAsync(20, seed: 100 + (round * 100));
            using var response = await world.Admin.PostJsonAsync($"v1/endpoints/{MonitoringWorld.Endpoint}/feedback", new { labels = served.Answers.Select(Label).ToArray() });
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            var result = JsonSerializer.Deserialize<FeedbackResult>(body, Server.Monitoring.MonitoringJson.Options)!;
            Assert.Equal((20, 0, 0), (result.Accepted, result.Updated, result.Rejected));
        }
    }

    [Fact]
    public async Task A_log_that_cannot_catch_up_answers_a_retryable_503_and_the_same_labels_are_stored_once_it_has()
    {
        await using var world = await MonitoringWorld.StartAsync(null, null, new Dictionary<string, string?> { ["PredictionLog:JoinWait"] = "00:00:00.300" });
        await world.RegisterAsync();
        var served = await world.ServeAsync(5, seed: 400);
        Assert.True(await world.Server.Service<Server.PredictionLog.PredictionLogWriter>().FlushAsync(TimeSpan.FromSeconds(20), Ct));
        Served late;

        // Another process holds the database's write lock: the log writer's next batch waits behind it.
        var blocker = new SqliteConnection($"Data Source={world.Server.DatabasePath};Pooling=False");
        await blocker.OpenAsync(Ct);
        await using (blocker)
        {
            await using (var begin = blocker.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE;";
                await begin.ExecuteNonQueryAsync(Ct);
            }

            late = await world.ServeAsync(5, seed: 500);
            using var behind = await world.Admin.PostJsonAsync($"v1/endpoints/{MonitoringWorld.Endpoint}/feedback",
                new { labels = served.Answers.Concat(late.Answers).Select(Label).ToArray() });
            var detail = await behind.AssertProblemAsync(ProblemTypes.TryAgainLater, "Retry the same batch");
            Assert.Contains("5 of the 10 labels", detail, StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(2), behind.Headers.RetryAfter?.Delta);

            await using var rollback = blocker.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync(Ct);
        }

        using var retried = await world.Admin.PostJsonAsync($"v1/endpoints/{MonitoringWorld.Endpoint}/feedback",
            new { labels = served.Answers.Concat(late.Answers).Select(Label).ToArray() });
        var body = await retried.Content.ReadAsStringAsync(Ct);
        Assert.True(retried.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal((10, 0, 0), Counts(body));
    }

    private static (int, int, int) Counts(string body)
    {
        var result = JsonSerializer.Deserialize<FeedbackResult>(body, Server.Monitoring.MonitoringJson.Options)!;
        return (result.Accepted, result.Updated, result.Rejected);
    }
}

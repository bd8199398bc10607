using System.Net.Http.Json;
using Escala.Core.Datasets;
using Escala.Core.Pipelines;
using Escala.Server.Hosting;
using Escala.Testing;

namespace Escala.Server.Tests.Training;

/// <summary>A dataset built from production: the logged records of labelled predictions, with their labels.</summary>
public sealed class FromFeedbackTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Labelled_predictions_become_rows_with_their_logged_fields_and_label()
    {
        await using var server = await EscalaTestServer.StartAsync(configure: EscalaTestServer.UseRoutingOnlyStageRules);
        var client = server.Admin();
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        await PipelineHarness.UploadAsync(client, "small", "x,z,y\n1,a,0\n2,b,0\n3,a,1\n4,b,1\n5,a,1\n0,b,0\n");
        var trained = await PipelineHarness.ApplyAndRunAsync(client, """
            name: first
            steps:
              - name: train
                type: train
                trainer: logistic
                data: small
                label: y
              - name: register
                type: register
                model: ${train.model}
                as: small-model
            """);
        Assert.Equal(RunStatus.Succeeded, trained.Run.Status);
        (await client.PostAsJsonAsync("api/v1/endpoints", new { name = "small" }, Ct)).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("api/v1/endpoints/small/deploy", new { version = "small-model:1" }, Ct)).EnsureSuccessStatusCode();

        var ids = new List<string>();
        foreach (var (x, z) in new[] { (1.5, "a"), (4.5, "b"), (2.5, "b") })
        {
            var answer = await client.PostAsJsonAsync("v1/endpoints/small/predict", new { records = new[] { new { x, z } } }, Ct);
            Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync(Ct));
            ids.Add(answer.Headers.GetValues("X-Escala-Request-Id").Single());
        }

        // Labels join with the prediction log once its batch is written.
        await Poll.UntilAsync(async () =>
        {
            var posted = await client.PostAsJsonAsync("v1/endpoints/small/feedback",
                new { labels = new object[] { new { requestId = ids[0], label = false }, new { requestId = ids[1], label = true } } }, Ct);
            return posted.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(30), "the labels to join the prediction log");

        var created = await client.PostAsJsonAsync("api/v1/datasets/small-feedback/from-feedback",
            new { endpoint = "small", since, labelColumn = "y", positive = "1", negative = "0" }, EscalaJson.Options, Ct);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(Ct));
        var dataset = (await created.Content.ReadFromJsonAsync<DatasetVersion>(EscalaJson.Options, Ct))!;
        Assert.Equal(2, dataset.Rows); // the third prediction has no label
        Assert.Equal(["x", "z", "y"], dataset.Columns.Select(c => c.Name));
        Assert.StartsWith("feedback:small since ", dataset.Source, StringComparison.Ordinal);

        // The new version trains like any dataset: production data closes the loop.
        var retrained = await PipelineHarness.ApplyAndRunAsync(client, """
            name: retrain
            steps:
              - name: train
                type: train
                trainer: logistic
                data: small-feedback
                label: y
            """);
        Assert.True(retrained.Run.Status == RunStatus.Succeeded, retrained.Run.Reason);
    }
}

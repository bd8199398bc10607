using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Escala.Core.Datasets;
using Escala.Core.Pipelines;
using Escala.Server.Hosting;
using Escala.Testing;
using Escala.Training.Pipelines;

namespace Escala.Server.Tests.Training;

/// <summary>Uploads datasets, applies pipelines and waits for runs over the real HTTP API.</summary>
public static class PipelineHarness
{
    /// <summary>The smallest pipeline of issue 11, as written there.</summary>
    public const string AdultIncome = """
        name: adult-income
        steps:
          - name: train
            type: train
            trainer: lightgbm          # or fasttree, logistic, linear, command
            task: binary               # binary | multiclass | regression
            data: adult-train          # a dataset (latest version) or dataset@version
            label: income
            positive: ">50K"
          - name: evaluate
            type: evaluate
            model: ${train.model}
            data: adult-test
          - name: gate
            type: gate
            evaluation: ${evaluate}
            rules:
              - metric: auc
                min: 0.90
          - name: register
            type: register
            model: ${train.model}
            as: adult
        """;

    /// <summary>Uploads the first <paramref name="train"/> rows of ../shared Adult as adult-train and the next <paramref name="test"/> as adult-test.</summary>
    public static async Task<(DatasetVersion Train, DatasetVersion Test)> UploadAdultAsync(HttpClient client, int train = 6000, int test = 1500)
    {
        var lines = File.ReadLines(SharedFolder.Require("datasets/adult.csv")).ToArray();
        var trainCsv = string.Join('\n', lines.Take(1 + train)) + "\n";
        var testCsv = string.Join('\n', lines.Take(1).Concat(lines.Skip(1 + train).Take(test))) + "\n";
        return (await UploadAsync(client, "adult-train", trainCsv), await UploadAsync(client, "adult-test", testCsv));
    }

    /// <summary>Uploads <paramref name="csv"/> as the next version of <paramref name="name"/>.</summary>
    public static async Task<DatasetVersion> UploadAsync(HttpClient client, string name, string csv)
    {
        using var content = new StringContent(csv);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var response = await client.PostAsync($"api/v1/datasets/{name}", content, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (await response.Content.ReadFromJsonAsync<DatasetVersion>(EscalaJson.Options, TestContext.Current.CancellationToken))!;
    }

    /// <summary>Posts a pipeline file.</summary>
    public static async Task<HttpResponseMessage> ApplyAsync(HttpClient client, string yaml)
    {
        using var content = new StringContent(yaml);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        return await client.PostAsync("api/v1/pipelines", content, TestContext.Current.CancellationToken);
    }

    /// <summary>Applies <paramref name="yaml"/>, starts a run and waits for it to end.</summary>
    public static async Task<RunView> ApplyAndRunAsync(HttpClient client, string yaml, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var applied = await ApplyAsync(client, yaml);
        Assert.True(applied.IsSuccessStatusCode, await applied.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var name = (await applied.Content.ReadFromJsonAsync<PipelineRecord>(EscalaJson.Options, TestContext.Current.CancellationToken))!.Name;
        return await RunAsync(client, name, parameters);
    }

    /// <summary>Starts a run of <paramref name="pipeline"/> and waits for it to end.</summary>
    public static async Task<RunView> RunAsync(HttpClient client, string pipeline, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var started = await client.PostAsJsonAsync($"api/v1/pipelines/{pipeline}/runs", new { parameters }, EscalaJson.Options, TestContext.Current.CancellationToken);
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var run = (await started.Content.ReadFromJsonAsync<PipelineRun>(EscalaJson.Options, TestContext.Current.CancellationToken))!;
        return await WaitAsync(client, run.Id);
    }

    /// <summary>Waits (bounded) until run <paramref name="id"/> has ended.</summary>
    public static async Task<RunView> WaitAsync(HttpClient client, long id)
    {
        RunView? view = null;
        await Poll.UntilAsync(async () =>
        {
            view = await client.GetFromJsonAsync<RunView>($"api/v1/pipeline-runs/{id}", EscalaJson.Options, TestContext.Current.CancellationToken);
            return view!.Run.IsFinished;
        }, TimeSpan.FromMinutes(4), $"run {id} to end");
        return view!;
    }

    /// <summary>A JSON output of a step.</summary>
    public static JsonElement Outputs(RunView view, string step) =>
        JsonDocument.Parse(view.Steps.Single(s => s.Name == step).Outputs!).RootElement;
}

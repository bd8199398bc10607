using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Escala.Core.Monitoring.Baselines;
using Escala.Onnx.Building;
using Escala.Onnx.Tensors;
using Escala.Server.Monitoring.Drift;
using Escala.Server.Registry;
using Escala.Testing;

namespace Escala.Server.Tests.Monitoring;

/// <summary>
/// The prediction column of drift reports agrees between the registration baseline and the live windows for every
/// output kind a model answers with (int64 and string labels beside probabilities as a map or a tensor, a score, the
/// positive-class probability, a multi-target regression), so prediction drift can fire on any model.
/// </summary>
public sealed class PredictionColumnTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, FeatureKind> Models => new()
    {
        { "string-labels", "label", FeatureKind.Categorical },
        { "int-labels-binary", "probabilities[1]", FeatureKind.Numeric },
        { "score", "p", FeatureKind.Numeric },
        { "three-targets", "targets[0]", FeatureKind.Numeric },
    };

    [Fact]
    public async Task An_int64_class_label_beside_a_zipmap_is_the_prediction_in_the_baseline_and_in_every_window()
    {
        var onnx = await File.ReadAllBytesAsync(SharedFolder.Require("onnx-real-models/rf_iris.onnx"), Ct);
        var random = new Random(4);
        var rows = Enumerable.Range(0, 600).Select(_ => new[] { 4.3f + (3.6f * random.NextSingle()), 2 + (2.4f * random.NextSingle()), 1 + (5.9f * random.NextSingle()), 0.1f + (2.4f * random.NextSingle()) }).ToList();
        var prediction = await WindowedPredictionAsync(onnx, "float_input", ["sepal_length", "sepal_width", "petal_length", "petal_width"], rows);

        Assert.Equal("output_label", prediction.Name);
        Assert.Equal(FeatureKind.Categorical, prediction.Kind);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Every_output_kind_is_windowed_as_its_baseline_profiled_it(string model, string column, FeatureKind kind)
    {
        var rows = MonitoringWorld.Rows(600, 0, seed: 9).ToList();
        var prediction = await WindowedPredictionAsync(Build(model), "x", ["a", "b", "c"], rows);

        Assert.Equal(column, prediction.Name);
        Assert.Equal(kind, prediction.Kind);
    }

    // Registers the model with the first 400 rows as its baseline, serves the other 200 through the records API, and
    // returns the open window's prediction column, which must be complete on both sides.
    private static async Task<Core.Monitoring.Drift.FeatureDrift> WindowedPredictionAsync(byte[] onnx, string input, string[] features, List<float[]> rows)
    {
        await using var world = await MonitoringWorld.StartAsync();
        var csv = new StringBuilder().AppendJoin(',', features).Append('\n');
        foreach (var row in rows[..400])
        {
            csv.AppendJoin(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }

        var form = Uploads.Form(onnx, new RegisterVersionMetadata());
        var part = new StringContent(csv.ToString(), Encoding.UTF8);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(part, "baseline", "reference.csv");
        var registered = await world.Admin.PostAsync("api/v1/models/kinds/versions", form, Ct);
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync(Ct));
        await world.DeployAsync(new { version = "kinds:1" });

        foreach (var row in rows[400..])
        {
            var body = $$"""{"records":[{"{{input}}":[{{string.Join(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}}]}]}""";
            using var response = await world.Admin.PostAsync($"v1/endpoints/{MonitoringWorld.Endpoint}/predict", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        }

        await world.SettleAsync(200);
        var view = await world.Admin.GetAsync<DriftView>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift?window=current&version=kinds:1");
        var prediction = view.Report.Prediction;
        Assert.NotNull(prediction);
        Assert.Equal(200, view.Report.Rows);
        Assert.Equal((0.0, 0.0, 0L), (prediction.BaselineMissingRate, prediction.WindowMissingRate, prediction.WindowInvalid));
        Assert.Equal(200, prediction.WindowCount);
        return prediction;
    }

    private static byte[] Build(string model)
    {
        var builder = new OnnxModelBuilder(model).Opset("", 17).Opset("ai.onnx.ml", 1).Input("x", ElementType.Float, "N", 3);
        return model switch
        {
            "string-labels" => builder
                .Output("label", ElementType.String, "N").Output("probabilities", ElementType.Float, "N", 3)
                .Node("LinearClassifier", ["x"], ["label", "probabilities"], b => b
                    .Floats("coefficients", 1f, 0f, 0f, 0f, 0.3f, 0f, -1f, 0f, 1f).Floats("intercepts", 0f, -1.5f, 0.5f)
                    .Strings("classlabels_strings", "low", "mid", "high").String("post_transform", "SOFTMAX"), domain: "ai.onnx.ml")
                .ToBytes(),
            "int-labels-binary" => builder
                .Output("label", ElementType.Int64, "N").Output("probabilities", ElementType.Float, "N", 2)
                .Node("LinearClassifier", ["x"], ["label", "probabilities"], b => b
                    .Floats("coefficients", 0.8f, -0.2f, 1f).Floats("intercepts", 0.3f)
                    .Ints("classlabels_ints", 0, 1).String("post_transform", "LOGISTIC"), domain: "ai.onnx.ml")
                .ToBytes(),
            "three-targets" => builder
                .Output("targets", ElementType.Float, "N", 3)
                .Node("LinearRegressor", ["x"], ["targets"], b => b
                    .Floats("coefficients", 1f, 0.5f, 0f, 0f, 2f, 1f, -1f, 0f, 3f).Floats("intercepts", 0f, 1f, 2f).Int("targets", 3), domain: "ai.onnx.ml")
                .ToBytes(),
            _ => TestModels.Logistic(),
        };
    }
}

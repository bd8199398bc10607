using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Escala.Core.Fairness;
using Escala.Core.Problems;
using Escala.Onnx.Building;
using Escala.Onnx.Tensors;
using Escala.Testing;

namespace Escala.Server.Tests.Fairness;

/// <summary>Fairness at evaluation through the real server: the version scores a holdout table itself.</summary>
public sealed class FairnessApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_holdout_is_scored_by_the_version_stored_with_it_and_written_into_its_card()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var admin = server.Admin();
        await admin.RegisterOkAsync("credit", TestModels.Logistic(features: 3, seed: 1));

        var response = await admin.PostAsync("api/v1/models/credit/versions/1/fairness?sensitive=sex,band&label=y&bootstrap=200", Csv(Holdout()), Ct);
        var evaluation = await response.ReadAsync<FairnessEvaluation>();

        Assert.Equal(400, evaluation.Rows);
        Assert.Equal("1", evaluation.Positive);
        Assert.Equal(["sex", "band", "sex+band"], evaluation.Reports.Select(r => r.Attribute));
        var sex = evaluation.Reports[0];
        Assert.Equal(["F", "M"], sex.Groups.Select(g => g.Group).Order());
        Assert.NotNull(sex.DemographicParityDifference.Lower);
        Assert.Equal(200, sex.BootstrapSamples);

        var latest = await (await admin.GetAsync("api/v1/models/credit/versions/1/fairness", Ct)).ReadAsync<FairnessEvaluation>();
        Assert.Equal(evaluation.Reports[0].DemographicParityDifference, latest.Reports[0].DemographicParityDifference);
        var card = await (await admin.GetAsync("api/v1/models/credit/versions/1/card", Ct)).ReadAsync<JsonElement>();
        var markdown = card.GetProperty("markdown").GetString()!;
        Assert.Contains("## Fairness\n\nMeasured on 400 holdout rows", markdown, StringComparison.Ordinal);
        Assert.Contains("| demographic parity difference |", markdown, StringComparison.Ordinal);
        Assert.Contains("## Limitations", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Not assessed yet", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_regressor_a_missing_column_or_a_multiclass_label_is_refused()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var admin = server.Admin();
        await admin.RegisterOkAsync("credit", TestModels.Logistic(features: 3, seed: 1));
        await admin.RegisterOkAsync("price", Regressor());

        var regressor = await admin.PostAsync("api/v1/models/price/versions/1/fairness?sensitive=sex,band&label=y", Csv(Holdout()), Ct);
        await regressor.AssertProblemAsync(ProblemTypes.FairnessUnavailable, "regressor");
        var missing = await admin.PostAsync("api/v1/models/credit/versions/1/fairness?sensitive=race&label=y", Csv(Holdout()), Ct);
        await missing.AssertProblemAsync(ProblemTypes.FairnessUnavailable, "'race'");
        var multiclass = await admin.PostAsync("api/v1/models/credit/versions/1/fairness?sensitive=sex,band&label=y",
            Csv("a,b,c,sex,band,y\n1,2,3,F,x,0\n1,2,3,M,x,1\n1,2,3,F,x,2\n"), Ct);
        await multiclass.AssertProblemAsync(ProblemTypes.FairnessUnavailable, "binary");
        var noParameters = await admin.PostAsync("api/v1/models/credit/versions/1/fairness", Csv(Holdout()), Ct);
        await noParameters.AssertProblemAsync(ProblemTypes.ValidationFailed);
    }

    private static string Holdout()
    {
        var random = new Random(5);
        var csv = new StringBuilder("a,b,c,sex,band,y\n");
        for (var i = 0; i < 400; i++)
        {
            var sex = i % 3 == 0 ? "F" : "M";
            var a = random.NextDouble() * 4 - 2 + (sex == "F" ? 0.5 : 0);
            csv.Append(CultureInfo.InvariantCulture, $"{a:R},{random.NextDouble():R},{random.NextDouble():R},{sex},{(i % 2 == 0 ? "young" : "old")},{(random.NextDouble() < 0.4 ? 1 : 0)}\n");
        }

        return csv.ToString();
    }

    private static StringContent Csv(string text)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return content;
    }

    private static byte[] Regressor() => new OnnxModelBuilder("price")
        .Opset("", 17)
        .Input("x", ElementType.Float, "N", 3)
        .Output("price", ElementType.Float, "N", 1)
        .Initializer("w", [1000f, 2000f, 3000f], 3, 1)
        .Initializer("b", [150_000f], 1)
        .Node("Gemm", ["x", "w", "b"], ["price"])
        .ToBytes();
}

using Escala.Core.Monitoring.Baselines;
using Escala.Core.Registry;

namespace Escala.Core.Tests.Monitoring.Baselines;

public sealed class FeatureLayoutTests
{
    private static ModelSignature Signature(TensorSpec[] inputs, params TensorSpec[] outputs) => new(inputs, outputs, new Dictionary<string, long>(), null);

    [Fact]
    public void A_single_vector_input_takes_the_columns_in_order()
    {
        var layout = FeatureLayout.TryCreate(Signature([new TensorSpec("features", "float", ["N", "3"])]), ["age", "income", "debt"], out var problem);

        Assert.Null(problem);
        var input = Assert.Single(layout!.Inputs);
        Assert.Equal([0, 1, 2], input.Features);
        Assert.Equal(["age", "income", "debt"], layout.Features);
    }

    [Fact]
    public void Named_inputs_take_their_columns_by_name_and_wide_ones_by_index()
    {
        var signature = Signature([new TensorSpec("age", "int64", ["N", "1"]), new TensorSpec("city", "string", ["N"]), new TensorSpec("v", "float", ["N", "2"])]);
        var layout = FeatureLayout.TryCreate(signature, ["v[1]", "city", "age", "v[0]"], out _)!;

        Assert.Equal([2], layout.Inputs[0].Features);
        Assert.True(layout.Inputs[1].IsText);
        Assert.Equal([3, 0], layout.Inputs[2].Features);
    }

    [Theory]
    [InlineData(new[] { "a", "b" }, "takes 3 values per row, in order; the table has 2 columns")]
    [InlineData(new[] { "a", "b", "a" }, "the column 'a' appears twice")]
    [InlineData(new[] { "a", "", "c" }, "column 2 has no name")]
    public void Columns_that_do_not_fit_a_vector_input_are_explained(string[] columns, string expected)
    {
        Assert.Null(FeatureLayout.TryCreate(Signature([new TensorSpec("x", "float", ["N", "3"])]), columns, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_extra_column_among_named_inputs_is_named()
    {
        var signature = Signature([new TensorSpec("age", "float", ["N"]), new TensorSpec("city", "string", ["N"])]);
        Assert.Null(FeatureLayout.TryCreate(signature, ["age"], out var missing));
        Assert.Contains("input 'city' has no column", missing, StringComparison.Ordinal);
        Assert.Null(FeatureLayout.TryCreate(signature, ["age", "city", "label"], out var extra));
        Assert.Contains("the column 'label' (column 3) is not an input of the model", extra, StringComparison.Ordinal);
    }

    [Fact]
    public void The_prediction_is_a_score_a_positive_class_probability_or_a_label()
    {
        var input = new TensorSpec("x", "float", ["N", "2"]);
        Assert.Equal(("p", 0, FeatureKind.Numeric), Column(Signature([input], new TensorSpec("p", "float", ["N", "1"]))));
        Assert.Equal(("probabilities", 1, FeatureKind.Numeric), Column(Signature([input], new TensorSpec("label", "int64", ["N"]), new TensorSpec("probabilities", "float", ["N", "2"]))));
        Assert.Equal(("label", 0, FeatureKind.Categorical), Column(Signature([input], new TensorSpec("label", "string", ["N"]), new TensorSpec("probabilities", "seq(map(string,float))", null))));
        // A wider float output alone is read by its first column: a multi-target regression's first target (issue 16).
        Assert.Equal(("scores", 0, FeatureKind.Numeric), Column(Signature([input], new TensorSpec("scores", "float", ["N", "5"]))));
        Assert.Equal("probabilities[1]", PredictionColumn.Of(Signature([input], new TensorSpec("probabilities", "float", ["N", "2"])))!.Name);

        static (string, int, FeatureKind) Column(ModelSignature s)
        {
            var column = PredictionColumn.Of(s)!;
            return (column.Output, column.Column, column.Kind);
        }
    }
}

using Escala.Onnx.Protobuf;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Explaining;

/// <summary>
/// Explains the predictions of a model the engine serves, from the model file itself: exact SHAP values when the
/// model scores with one tree ensemble or linear node behind per-feature preprocessing (interventional against a
/// background, or path-dependent from the trees' cover), and a sampling estimate with standard errors otherwise.
/// Exact values are in margin space (the node's scores before its post transform), so expected value + Σ attributions
/// equals the margin; the served outputs (probabilities, labels) are functions of those margins.
/// </summary>
public sealed class ModelExplainer
{
    private readonly InferenceSession _served;
    private readonly GraphProto _graph;
    private readonly ScoringModel? _scoring;
    private readonly string _noScoring;
    private readonly InferenceSession? _featureVector;

    private ModelExplainer(InferenceSession served, GraphProto graph, ScoringModel? scoring, string noScoring, InferenceSession? featureVector)
    {
        _served = served;
        _graph = graph;
        _scoring = scoring;
        _noScoring = noScoring;
        _featureVector = featureVector;
    }

    /// <summary>Whether the model has a tree or linear scoring node the exact explainers can read.</summary>
    public bool HasExactScoring => _scoring is not null;

    /// <summary>Whether the model's trees carry node cover (<c>nodes_hitrates</c>), so path-dependent TreeSHAP needs no background.</summary>
    public bool HasCover => _scoring is TreeScoring { Cover: not null };

    /// <summary>Why the exact explainers do not apply to the model (empty when they do).</summary>
    public string ExactUnavailableReason => _noScoring;

    /// <summary>
    /// Prepares explanations of the model whose file is <paramref name="model"/> and which <paramref name="served"/>
    /// runs. The file is compiled a second time with the scoring node's feature vector as an extra output: the same
    /// preprocessing kernels then compute the columns the exact explainers walk.
    /// </summary>
    public static ModelExplainer Create(ReadOnlySpan<byte> model, InferenceSession served, OnnxSessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(served);
        var proto = ModelProto.Parse(model);
        var graph = proto.Graph ?? throw new OnnxModelException("The model has no graph.");
        var scoring = ScoringModel.Find(graph, out var reason);
        InferenceSession? featureVector = null;
        if (scoring is not null)
        {
            var extended = ModelProto.Parse(model);
            extended.Graph!.Output.Clear();
            extended.Graph.Output.Add(new ValueInfoProto { Name = scoring.FeatureValue });
            try
            {
                featureVector = InferenceSession.Load(extended, options);
            }
            catch (OnnxModelException e)
            {
                scoring = null;
                reason = $"its feature vector cannot be computed on its own: {e.Message}";
            }
        }

        return new ModelExplainer(served, graph, scoring, reason, featureVector);
    }

    /// <summary>
    /// Explains every row of <paramref name="rows"/> (model inputs by name, rows on the first axis) against
    /// <paramref name="background"/> (the same inputs; may be null for path-dependent TreeSHAP). Throws
    /// <see cref="OnnxInputException"/> for inputs that do not fit and <see cref="ExplanationException"/> when the
    /// method asked for does not apply or needs a background that is missing.
    /// </summary>
    public Explanation Explain(IReadOnlyDictionary<string, OnnxValue> rows, IReadOnlyDictionary<string, OnnxValue>? background, ExplainOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        options ??= new ExplainOptions();
        var x = new InputRows(_served.Inputs, rows, "request");
        InputRows? z = null;
        if (background is not null)
        {
            z = new InputRows(_served.Inputs, background, "background");
            x.RequireSameLayout(z, "background");
            if (z.Rows == 0)
            {
                z = null;
            }
        }

        var traceProblem = "";
        var groups = _scoring is null ? null : ColumnProvenance.Trace(_graph, x.RowShapes, _scoring.FeatureValue, out traceProblem);
        var exactProblem = _scoring is null ? _noScoring : groups is null ? traceProblem : "";
        var method = Choose(options.Method, exactProblem, z is not null);
        return method switch
        {
            ExplanationMethod.SamplingApproximate => Sample(x, z!, options),
            _ => Exact(method, x, z, groups!),
        };
    }

    private ExplanationMethod Choose(ExplanationMethod? asked, string exactProblem, bool hasBackground)
    {
        var exact = exactProblem.Length == 0;
        var tree = _scoring is TreeScoring;
        if (asked is { } method)
        {
            var problem = method switch
            {
                ExplanationMethod.LinearExact when !exact || tree => exact ? "the model scores with trees, not a linear node" : $"exact SHAP does not apply: {exactProblem}",
                ExplanationMethod.TreeInterventional or ExplanationMethod.TreePathDependent when !exact || !tree =>
                    exact ? "the model scores with a linear node, not trees" : $"exact SHAP does not apply: {exactProblem}",
                ExplanationMethod.TreePathDependent when !HasCover => "the model's trees carry no node cover (nodes_hitrates); use tree-interventional with a background",
                ExplanationMethod.TreePathDependent => null,
                _ when !hasBackground => "it needs a background sample (attach a baseline reference CSV to the version)",
                _ => null,
            };
            return problem is null ? method : throw new ExplanationException($"The method {ExplanationMethods.Name(method)} cannot explain this model: {problem}.");
        }

        if (exact && tree && (hasBackground || HasCover))
        {
            return hasBackground ? ExplanationMethod.TreeInterventional : ExplanationMethod.TreePathDependent;
        }

        if (exact && !tree && hasBackground)
        {
            return ExplanationMethod.LinearExact;
        }

        return hasBackground
            ? ExplanationMethod.SamplingApproximate
            : throw new ExplanationException(
                "Explaining this model needs a background sample: attach a baseline reference CSV to the version" + (exact ? "." : $" (exact SHAP does not apply: {exactProblem})."));
    }

    private Explanation Exact(ExplanationMethod method, InputRows x, InputRows? z, int[] groupOf)
    {
        var scoring = _scoring!;
        var features = x.Features.Count;
        var (xv, width, singlePrecision) = FeatureVector(x);
        var quantities = scoring.Quantities;
        var q = quantities.Count;
        var phi = new double[x.Rows][];
        var predicted = new double[q * x.Rows];
        double[] expected;
        var margins = new double[q];
        var backgroundRows = 0;
        if (scoring is LinearScoring linear)
        {
            if (width != linear.Features)
            {
                throw new OnnxInputException(scoring.FeatureValue, $"The linear node has {linear.Features} coefficients per class but its feature vector has {width} columns.");
            }

            var (zv, _, _) = FeatureVector(z!);
            backgroundRows = z!.Rows;
            var explainer = new LinearShap(linear, groupOf, features, zv, z.Rows);
            expected = [.. explainer.ExpectedValues];
            for (var r = 0; r < x.Rows; r++)
            {
                var row = xv.AsSpan(r * width, width);
                phi[r] = new double[q * features];
                explainer.Explain(row, phi[r]);
                explainer.Margins(row, margins);
                margins.CopyTo(predicted, r * q);
            }
        }
        else
        {
            var trees = (TreeScoring)scoring;
            if (width <= trees.Definition.MaxFeature)
            {
                throw new OnnxInputException(scoring.FeatureValue, $"The trees read column {trees.Definition.MaxFeature} but the feature vector has {width} columns.");
            }

            var walker = new InterventionalTreeShap(trees, singlePrecision, groupOf, features);
            if (method == ExplanationMethod.TreePathDependent)
            {
                var path = new PathDependentTreeShap(trees, singlePrecision, groupOf, features);
                expected = path.ExpectedValues();
                for (var r = 0; r < x.Rows; r++)
                {
                    phi[r] = new double[q * features];
                    var row = xv.AsSpan(r * width, width).ToArray();
                    path.Explain(row, phi[r]);
                    walker.Margins(row, margins);
                    margins.CopyTo(predicted, r * q);
                }
            }
            else
            {
                var (zv, _, _) = FeatureVector(z!);
                backgroundRows = z!.Rows;
                expected = new double[q];
                for (var b = 0; b < z.Rows; b++)
                {
                    walker.Margins(zv.AsSpan(b * width, width), margins);
                    for (var k = 0; k < q; k++)
                    {
                        expected[k] += margins[k] / z.Rows;
                    }
                }

                for (var r = 0; r < x.Rows; r++)
                {
                    phi[r] = new double[q * features];
                    var row = xv.AsSpan(r * width, width).ToArray();
                    walker.Explain(row, zv, z.Rows, phi[r]);
                    walker.Margins(row, margins);
                    margins.CopyTo(predicted, r * q);
                }
            }
        }

        var explained = new ExplainedQuantity[q];
        for (var k = 0; k < q; k++)
        {
            var values = new double[x.Rows * features];
            var outputs = new double[x.Rows];
            for (var r = 0; r < x.Rows; r++)
            {
                Array.Copy(phi[r], k * features, values, r * features, features);
                outputs[r] = predicted[(r * q) + k];
            }

            explained[k] = new ExplainedQuantity(quantities[k].Output, quantities[k].Class, quantities[k].Column, expected[k], values, outputs, null);
        }

        return new Explanation(method, "margin", x.Features, x.Rows, explained, backgroundRows);
    }

    private Explanation Sample(InputRows x, InputRows z, ExplainOptions options)
    {
        if (options.Permutations < 2)
        {
            throw new ExplanationException("The sampling method needs at least 2 permutations per row.");
        }

        var served = _served.Run(x.Values);
        var quantities = OutputColumns.Describe(_served.Outputs, served, x.Rows);
        if (quantities.Count == 0)
        {
            throw new ExplanationException("The model has no numeric output (scores, probabilities or values) to explain.");
        }

        var sampler = new SamplingShapley(_served, options.Permutations, options.Seed);
        var m = x.Features.Count;
        var q = quantities.Count;
        var values = quantities.Select(_ => new double[x.Rows * m]).ToArray();
        var errors = quantities.Select(_ => new double[x.Rows * m]).ToArray();
        var outputs = quantities.Select(_ => new double[x.Rows]).ToArray();
        var expected = new double[q];
        for (var r = 0; r < x.Rows; r++)
        {
            var (phi, se, e, output) = sampler.Explain(x, r, z, quantities);
            for (var k = 0; k < q; k++)
            {
                Array.Copy(phi, k * m, values[k], r * m, m);
                Array.Copy(se, k * m, errors[k], r * m, m);
                outputs[k][r] = output[k];
                expected[k] += e[k] / x.Rows;
            }
        }

        var explained = quantities.Select((quantity, k) =>
            new ExplainedQuantity(quantity.Output, quantity.Class, quantity.Column, expected[k], values[k], outputs[k], errors[k])).ToArray();
        return new Explanation(ExplanationMethod.SamplingApproximate, "output", x.Features, x.Rows, explained, z.Rows);
    }

    private (double[] Values, int Width, bool SinglePrecision) FeatureVector(InputRows rows)
    {
        var value = _featureVector!.Run(rows.Values)[_scoring!.FeatureValue];
        if (value is not OnnxTensor tensor || tensor.Rank < 1)
        {
            throw new OnnxInputException(_scoring.FeatureValue, "The scoring node's feature vector is not a tensor.");
        }

        var width = rows.Rows == 0 ? 0 : tensor.Length / rows.Rows;
        double[] values = tensor switch
        {
            OnnxTensor<float> f => [.. f.ToArray().Select(v => (double)v)],
            OnnxTensor<double> d => d.ToArray(),
            OnnxTensor<long> l => [.. l.ToArray().Select(v => (double)v)],
            OnnxTensor<int> i => [.. i.ToArray().Select(v => (double)v)],
            _ => throw new OnnxInputException(_scoring.FeatureValue, $"The scoring node's feature vector is {tensor}, not numeric."),
        };
        var single = tensor.ElementType != ElementType.Double && !(_scoring is TreeScoring t && t.Definition.DoublePrecision);
        return (values, width, single);
    }
}

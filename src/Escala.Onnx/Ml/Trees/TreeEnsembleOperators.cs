using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Ml.Trees;

/// <summary>
/// TreeEnsembleRegressor and TreeEnsembleClassifier (ai.onnx.ml opset 1 and 3) and TreeEnsemble (opset 5): the
/// factories read and validate the attributes into a <see cref="TreeEnsembleDefinition"/> and compile it once into a
/// <see cref="TreeEnsembleScorer{T}"/>; the kernels only walk trees and write outputs.
/// </summary>
internal static class TreeEnsembleOperators
{
    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Ml, "TreeEnsembleRegressor", 1, CreateRegressor);
        registry.Add(OpsetDomains.Ml, "TreeEnsembleRegressor", 3, CreateRegressor);
        registry.Add(OpsetDomains.Ml, "TreeEnsembleClassifier", 1, CreateClassifier);
        registry.Add(OpsetDomains.Ml, "TreeEnsembleClassifier", 3, CreateClassifier);
        registry.Add(OpsetDomains.Ml, "TreeEnsemble", 5, CreateTreeEnsemble);
    }

    private static IKernel CreateRegressor(KernelBuildContext node)
    {
        var inputType = node.RequireType(0, FeatureInput.NumericTypes);
        var (weights, weightsDouble) = node.GetFloatsOrTensor("target_weights", "target_weights_as_tensor");
        var targetIds = node.GetIntsOrEmpty("target_ids");
        var targets = node.GetInt("n_targets", targetIds.Length == 0 ? 1 : targetIds.Max() + 1);
        if (targets is < 1 or > int.MaxValue)
        {
            throw node.Fail($"n_targets must be at least 1, got {targets}");
        }

        RequireTargetsWithinBudget(node, "n_targets", targets);

        var (lists, nodesDouble) = ReadNodeLists(node, "target_treeids", "target_nodeids", targetIds, weights);
        var (bases, basesDouble) = node.GetFloatsOrTensor("base_values", "base_values_as_tensor");
        var definition = Define(node, () => TreeEnsembleDefinition.FromNodeLists(
            lists, (int)targets, TreeAggregates.Parse(node.GetString("aggregate_function", "SUM")),
            PostTransforms.Parse(node.GetString("post_transform", "NONE")), bases ?? [], nodesDouble || weightsDouble || basesDouble));
        node.SetOutput(0, ElementType.Float, [Rows(node), (int)targets]);
        return UseDouble(inputType, definition)
            ? new TreeRegressorKernel<double, float>(new TreeEnsembleScorer<double>(definition))
            : new TreeRegressorKernel<float, float>(new TreeEnsembleScorer<float>(definition));
    }

    private static IKernel CreateClassifier(KernelBuildContext node)
    {
        var inputType = node.RequireType(0, FeatureInput.NumericTypes);
        var labels = ClassLabels.Read(node, "classlabels_int64s", "classlabels_strings");
        RequireTargetsWithinBudget(node, "the class labels", labels.Count);
        var (weights, weightsDouble) = node.GetFloatsOrTensor("class_weights", "class_weights_as_tensor");
        var (lists, nodesDouble) = ReadNodeLists(node, "class_treeids", "class_nodeids", node.GetIntsOrEmpty("class_ids"), weights);
        var (bases, basesDouble) = node.GetFloatsOrTensor("base_values", "base_values_as_tensor");
        var definition = Define(node, () => TreeEnsembleDefinition.FromNodeLists(
            lists, labels.Count, TreeAggregate.Sum, PostTransforms.Parse(node.GetString("post_transform", "NONE")),
            bases ?? [], nodesDouble || weightsDouble || basesDouble));
        var rows = Rows(node);
        node.SetOutput(0, labels.ElementType, [rows]);
        node.SetOutput(1, ElementType.Float, [rows, labels.Count]);
        var rules = new TreeClassifierRules(definition);
        return UseDouble(inputType, definition)
            ? new TreeClassifierKernel<double>(new TreeEnsembleScorer<double>(definition), rules, labels)
            : new TreeClassifierKernel<float>(new TreeEnsembleScorer<float>(definition), rules, labels);
    }

    private static IKernel CreateTreeEnsemble(KernelBuildContext node)
    {
        var inputType = node.RequireType(0, [ElementType.Float, ElementType.Double]);
        var splits = Required(node, "nodes_splits");
        if (splits.Type != inputType)
        {
            throw node.Fail($"nodes_splits is a {ElementTypes.Name(splits.Type)} tensor but the input is {ElementTypes.Name(inputType)}; they must match");
        }

        var leafWeights = Required(node, "leaf_weights");
        if (leafWeights.Type != inputType)
        {
            throw node.Fail($"leaf_weights is a {ElementTypes.Name(leafWeights.Type)} tensor but the input is {ElementTypes.Name(inputType)}; they must match");
        }

        var modes = Required(node, "nodes_modes");
        if (modes.Type != ElementType.UInt8)
        {
            throw node.Fail($"nodes_modes must be a uint8 tensor, got {ElementTypes.Name(modes.Type)}");
        }

        var leafTargets = node.GetInts("leaf_targetids") ?? throw node.Fail("required attribute 'leaf_targetids' is missing");
        var targets = node.GetInt("n_targets", leafTargets.Length == 0 ? 1 : leafTargets.Max() + 1);
        if (targets is < 1 or > int.MaxValue)
        {
            throw node.Fail($"n_targets must be at least 1, got {targets}");
        }

        RequireTargetsWithinBudget(node, "n_targets", targets);

        var lists = new TreeEnsembleOpset5Lists(
            RequiredInts(node, "nodes_featureids"), splits.Values, [.. modes.Values.Select(m => (int)m)],
            RequiredInts(node, "nodes_truenodeids"), RequiredInts(node, "nodes_falsenodeids"),
            RequiredInts(node, "nodes_trueleafs"), RequiredInts(node, "nodes_falseleafs"),
            node.GetIntsOrEmpty("nodes_missing_value_tracks_true"), RequiredInts(node, "tree_roots"),
            node.GetTensorDoubles("membership_values")?.Values ?? [], leafTargets, leafWeights.Values, (int)targets,
            node.GetInt("aggregate_function", 1), node.GetInt("post_transform", 0));
        var isDouble = inputType == ElementType.Double;
        var definition = Define(node, () => TreeEnsembleDefinition.FromOpset5(lists, isDouble));
        node.SetOutput(0, inputType, [Rows(node), (int)targets]);
        return isDouble
            ? new TreeRegressorKernel<double, double>(new TreeEnsembleScorer<double>(definition))
            : new TreeRegressorKernel<float, float>(new TreeEnsembleScorer<float>(definition));
    }

    /// <summary>Double precision when the input is double or the model gave thresholds/weights as doubles, as ONNX Runtime does.</summary>
    private static bool UseDouble(ElementType inputType, TreeEnsembleDefinition definition) =>
        inputType == ElementType.Double || definition.DoublePrecision;

    private static (TreeNodeLists Lists, bool DoublePrecision) ReadNodeLists(
        KernelBuildContext node, string voteTreesName, string voteNodesName, long[] voteTargets, double[]? weights)
    {
        var (values, valuesDouble) = node.GetFloatsOrTensor("nodes_values", "nodes_values_as_tensor");
        var modes = node.GetStrings("nodes_modes") ?? throw node.Fail("required attribute 'nodes_modes' is missing");
        var lists = new TreeNodeLists(
            RequiredInts(node, "nodes_treeids"), RequiredInts(node, "nodes_nodeids"), RequiredInts(node, "nodes_featureids"), modes,
            values ?? throw node.Fail("required attribute 'nodes_values' (or 'nodes_values_as_tensor') is missing"),
            node.GetIntsOrEmpty("nodes_missing_value_tracks_true"), RequiredInts(node, "nodes_truenodeids"), RequiredInts(node, "nodes_falsenodeids"),
            node.GetIntsOrEmpty(voteTreesName), node.GetIntsOrEmpty(voteNodesName), voteTargets, weights ?? []);
        return (lists, valuesDouble);
    }

    private static TreeEnsembleDefinition Define(KernelBuildContext node, Func<TreeEnsembleDefinition> define)
    {
        try
        {
            return define();
        }
        catch (FormatException e)
        {
            throw node.Fail(e.Message);
        }
    }

    private static long[] RequiredInts(KernelBuildContext node, string name) =>
        node.GetInts(name) ?? throw node.Fail($"required attribute '{name}' is missing");

    private static (double[] Values, ElementType Type) Required(KernelBuildContext node, string name) =>
        node.GetTensorDoubles(name) ?? throw node.Fail($"required attribute '{name}' is missing");

    private static OnnxDim Rows(KernelBuildContext node) => FeatureInput.RowsDim(node);

    /// <summary>
    /// One row's sums (double), votes (bool) and output (up to double) per target must fit the run's budget:
    /// checked before the ensemble is built, so <c>n_targets = 2^30</c> is refused here, not at the first prediction.
    /// </summary>
    private static void RequireTargetsWithinBudget(KernelBuildContext node, string what, long targets) =>
        node.RequireWithinBudget($"{what} ({targets} targets: sums, votes and output of one row)", targets, sizeof(double) + sizeof(bool) + sizeof(double));
}

/// <summary>Scores rows and writes the regression output (float for opset 1-3, the input's type for TreeEnsemble).</summary>
internal sealed class TreeRegressorKernel<T, TOut>(TreeEnsembleScorer<T> scorer) : IKernel
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOut : unmanaged, IFloatingPointIeee754<TOut>
{
    public void Run(KernelContext context)
    {
        var x = context.InputTensor(0);
        var (rows, features) = FeatureInput.Shape(context, x);
        var definition = scorer.Definition;
        TreeInput.RequireFeatures(context, definition, features);
        var targets = definition.TargetCount;
        var sums = context.Scratch<T>((long)rows * targets);
        var voted = context.Scratch<bool>((long)rows * targets);
        TreeInput.Score(context, scorer, FeatureInput.As<T>(context, x), rows, features, sums, voted);
        var y = context.Output<TOut>(0, [rows, targets]);
        var rowScratch = targets > 256 && definition.PostTransform != PostTransform.None ? context.Scratch<float>(targets) : default;
        TreeEnsembleOutputs.WriteRegression(definition, (ReadOnlySpan<T>)sums, voted, rows, y.Span, rowScratch);
    }
}

/// <summary>Scores rows and writes the winning label and the class scores.</summary>
internal sealed class TreeClassifierKernel<T>(TreeEnsembleScorer<T> scorer, TreeClassifierRules rules, ClassLabels labels) : IKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public void Run(KernelContext context)
    {
        var x = context.InputTensor(0);
        var (rows, features) = FeatureInput.Shape(context, x);
        TreeInput.RequireFeatures(context, scorer.Definition, features);
        var classes = rules.ClassCount;
        var sums = context.Scratch<T>((long)rows * classes);
        var voted = context.Scratch<bool>((long)rows * classes);
        TreeInput.Score(context, scorer, FeatureInput.As<T>(context, x), rows, features, sums, voted);
        var scores = context.Output<float>(1, [rows, classes]);
        var winners = context.Scratch<int>(rows);
        rules.Write<T>(sums, voted, rows, scores.Span, winners);
        labels.Write(context, 0, winners);
    }
}

/// <summary>The check every tree kernel makes before walking: the input has every column a split reads.</summary>
internal static class TreeInput
{
    /// <summary>Rows scored between two checks for cancellation: a few milliseconds of the largest ensembles.</summary>
    public const int RowsPerCheck = 4096;

    /// <summary>
    /// Scores every row in chunks of <see cref="RowsPerCheck"/>, checking between chunks whether the run was
    /// cancelled (its deadline passed), so an abandoned walk over many rows stops instead of running on.
    /// </summary>
    public static void Score<T>(KernelContext context, TreeEnsembleScorer<T> scorer, ReadOnlySpan<T> x, int rows, int features, Span<T> sums, Span<bool> voted)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var targets = scorer.Definition.TargetCount;
        var workspace = context.Scratch<int>(scorer.WorkspaceLength);
        for (var start = 0; start < rows; start += RowsPerCheck)
        {
            context.ThrowIfCancelled();
            var count = Math.Min(RowsPerCheck, rows - start);
            scorer.Score(
                x.Slice(start * features, count * features), count, features,
                sums.Slice(start * targets, count * targets), voted.Slice(start * targets, count * targets), workspace);
        }
    }

    public static void RequireFeatures(KernelContext context, TreeEnsembleDefinition definition, int features)
    {
        if (features <= definition.MaxFeature)
        {
            throw context.Fail($"the trees read feature {definition.MaxFeature} but the input has {features} features per row");
        }
    }
}

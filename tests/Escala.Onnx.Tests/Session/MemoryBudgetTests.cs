using Escala.Onnx.Inspection;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Session;

/// <summary>
/// The byte budget: sizes a model derives from attributes and constants are bounded when the plan is compiled
/// (the model is refused naming the node), sizes a request implies are checked before every allocation, and a
/// cancelled run stops between nodes and inside long tree walks. Allocations are measured on the test's own
/// thread (<see cref="GC.GetAllocatedBytesForCurrentThread"/>), so other tests running in parallel cannot skew them.
/// </summary>
public sealed class MemoryBudgetTests
{
    public static TheoryData<MemoryBombs.LoadBomb> LoadBombs() => [.. MemoryBombs.RefusedAtLoad];

    public static TheoryData<MemoryBombs.RunBomb> RunBombs() => [.. MemoryBombs.RefusedAtRun];

    [Theory]
    [MemberData(nameof(LoadBombs))]
    public void A_model_whose_attributes_or_constants_need_more_than_the_budget_is_refused_at_load_naming_the_node(MemoryBombs.LoadBomb bomb)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<OnnxModelException>(() => InferenceSession.Load(bomb.Bytes));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains($"'{bomb.Node}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("memory budget of 256 MiB", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < (64L << 20), $"{bomb.Name}: loading allocated {allocated >> 20} MiB before refusing");
        var report = OnnxModelInspector.Inspect(bomb.Bytes);
        Assert.False(report.CanRun);
        Assert.Contains($"'{bomb.Node}'", report.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RunBombs))]
    public void A_request_implying_more_than_the_budget_is_refused_before_anything_large_is_allocated(MemoryBombs.RunBomb bomb)
    {
        var session = InferenceSession.Load(bomb.Bytes);
        var inputs = bomb.Inputs.ToDictionary(kv => kv.Key, kv => (OnnxValue)kv.Value);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<OnnxBudgetException>(() => session.Run(inputs));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(bomb.Node, e.NodeName);
        Assert.Contains("memory budget of 256 MiB", e.Message, StringComparison.Ordinal);
        Assert.True(allocated <= OnnxSessionOptions.DefaultMaxRunBytes, $"{bomb.Name}: the refused run allocated {allocated >> 20} MiB");
    }

    [Theory]
    [MemberData(nameof(RunBombs))]
    public void A_smaller_run_budget_stops_the_same_requests_earlier(MemoryBombs.RunBomb bomb)
    {
        var session = InferenceSession.Load(bomb.Bytes);
        var inputs = bomb.Inputs.ToDictionary(kv => kv.Key, kv => (OnnxValue)kv.Value);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<OnnxBudgetException>(() => session.Run(inputs, new OnnxRunOptions(MaxBytes: 1 << 20)));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1 << 20, e.BudgetBytes);
        Assert.True(allocated < (2 << 20), $"{bomb.Name}: a run with a 1 MiB budget allocated {allocated >> 10} KiB");
    }

    [Fact]
    public void The_budget_counts_every_intermediate_of_a_run_not_only_the_largest()
    {
        // 64 ConstantOfShape nodes of 4 MiB each and their running sums: each fits, all of them together do not
        // fit 64 MiB (nor the default 256 MiB: intermediates live until the run ends).
        var before = GC.GetAllocatedBytesForCurrentThread();
        var session = InferenceSession.Load(MemoryBombs.ManyFoldedConstants);
        var compiled = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(compiled < (40L << 20), $"compiling kept folding past its 16 MiB cap: {compiled >> 20} MiB allocated");

        var x = new OnnxTensor<float>([1f], 1);
        var e = Assert.Throws<OnnxBudgetException>(() => session.Run([x], new OnnxRunOptions(MaxBytes: 64L << 20)));
        Assert.Equal(64L << 20, e.BudgetBytes);

        // Within a larger budget the same model runs, and the sums are right.
        var y = (OnnxTensor<float>)session.Run([x], new OnnxRunOptions(MaxBytes: 1L << 30))[0];
        Assert.Equal(1f + (63 * 64 / 2), y.Span[12345]);
    }

    [Fact]
    public void A_model_within_the_budget_loads_and_runs_as_before()
    {
        var session = InferenceSession.Load(MemoryBombs.Forest(trees: 4, depth: 3));
        var y = (OnnxTensor<float>)session.Run(MemoryBombs.Ones(10, 4))[0];
        Assert.Equal([10, 1], y.Shape.ToArray());
        Assert.Equal(OnnxSessionOptions.DefaultMaxRunBytes, session.MaxRunBytes);
    }

    [Fact]
    public void A_regression_of_more_than_256_targets_transforms_each_row_in_budgeted_scratch()
    {
        // 300 targets with SOFTMAX: the row buffer for the transform comes from the run's scratch (counted), not a new array.
        var model = Escala.Onnx.Protobuf.ModelProto.Parse(MemoryBombs.RefusedAtRun.Single(b => b.Node == "trees" && b.Name.Contains("Regressor", StringComparison.Ordinal)).Bytes);
        var node = model.Graph!.Node.Single();
        node.Attribute.Single(a => a.Name == "n_targets").I = 300;
        node.Attribute.Add(new Escala.Onnx.Protobuf.AttributeProto { Name = "post_transform", Type = Escala.Onnx.Protobuf.AttributeType.String, S = "SOFTMAX"u8.ToArray() });
        var session = InferenceSession.Load(model);

        var y = (OnnxTensor<float>)session.Run(MemoryBombs.Ones(3, 1))[0];

        Assert.Equal([3, 300], y.Shape.ToArray());
        Assert.Equal(1f, y.Span[..300].ToArray().Sum(), 4);
        Assert.True(y.Span[0] > y.Span[1]);
    }

    [Fact]
    public void A_lower_session_budget_refuses_at_load_what_the_default_accepts()
    {
        var bytes = MemoryBombs.RefusedAtRun.Single(b => b.Name.StartsWith("TreeEnsembleRegressor", StringComparison.Ordinal)).Bytes;
        InferenceSession.Load(bytes);
        var e = Assert.Throws<OnnxModelException>(() => InferenceSession.Load(bytes, new OnnxSessionOptions { MaxRunBytes = 16 << 20 }));
        Assert.Contains("'trees'", e.Message, StringComparison.Ordinal);
        Assert.Contains("n_targets", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cancelled_run_stops_between_nodes()
    {
        var session = InferenceSession.Load(MemoryBombs.Forest(trees: 2, depth: 2));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => session.Run([MemoryBombs.Ones(4, 4)], new OnnxRunOptions(CancellationToken: cancelled.Token)));

        // The session is usable afterwards: the cancelled run gave its buffers back.
        Assert.Equal(4, ((OnnxTensor<float>)session.Run(MemoryBombs.Ones(4, 4))[0]).Length);
    }

    [Fact]
    public void A_run_cancelled_while_a_single_tree_node_walks_many_rows_stops_inside_the_walk()
    {
        // One node: the executor's check between nodes never sees the cancellation, only the walk's own checks do.
        // 300 trees of depth 8 over 400 000 rows takes seconds on any machine; the token fires after 50 ms.
        var session = InferenceSession.Load(MemoryBombs.Forest(trees: 300, depth: 8));
        var rows = MemoryBombs.Ones(400_000, 4);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => session.Run([rows], new OnnxRunOptions(CancellationToken: deadline.Token)));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"the run went on for {started.Elapsed} after its token fired");
    }
}

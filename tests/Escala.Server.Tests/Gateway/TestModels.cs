using Escala.Onnx;
using Escala.Onnx.Building;
using Escala.Onnx.Execution;
using Escala.Onnx.Tensors;

namespace Escala.Server.Tests.Gateway;

/// <summary>Real ONNX models made in code for the gateway tests.</summary>
internal static class TestModels
{
    /// <summary>
    /// A logistic regression on real engine operators: <c>score = sigmoid(features · weights + bias)</c>,
    /// input <c>features</c> float [N, k], output <c>score</c> float [N, 1].
    /// </summary>
    public static byte[] Logistic(float[] weights, float bias) => new OnnxModelBuilder()
        .Input("features", ElementType.Float, "N", weights.Length)
        .Output("score", ElementType.Float, "N", 1)
        .Initializer("w", weights, weights.Length, 1)
        .Initializer("b", new[] { bias }, 1)
        .Node("MatMul", ["features", "w"], ["z0"])
        .Node("Add", ["z0", "b"], ["z"])
        .Node("Sigmoid", ["z"], ["score"])
        .ToBytes();

    /// <summary>sigmoid(x · w + b) computed the way the model does, in float.</summary>
    public static float LogisticScore(float[] x, float[] w, float b)
    {
        float z = 0;
        for (var i = 0; i < x.Length; i++)
        {
            z += x[i] * w[i];
        }

        return 1f / (1f + MathF.Exp(-(z + b)));
    }

    /// <summary>
    /// A model on the test operator <c>TestScale</c> (see <see cref="TestKernels"/>): <c>y = x * scale</c>,
    /// optionally after sleeping <paramref name="sleepMs"/> per call or failing every call.
    /// Input <c>x</c> float [N, 2], output <c>y</c> float [N, 2].
    /// </summary>
    public static byte[] Scale(float scale, int sleepMs = 0, bool fail = false) => new OnnxModelBuilder()
        .Input("x", ElementType.Float, "N", 2)
        .Output("y", ElementType.Float, "N", 2)
        .Node("TestScale", ["x"], ["y"], a => a.Float("scale", scale).Int("sleep_ms", sleepMs).Int("fail", fail ? 1 : 0))
        .ToBytes();

    /// <summary>
    /// A model on the test operator <c>TestSpin</c>: works for up to <paramref name="maxMs"/> in 5 ms slices, checking
    /// between slices whether its run was cancelled, and records in <see cref="TestKernels.Spins"/> under
    /// <paramref name="tag"/> whether it <c>stopped</c> early or <c>finished</c>. Input <c>x</c> float [N, 2], output <c>y</c>.
    /// </summary>
    public static byte[] Spin(int maxMs, string tag) => new OnnxModelBuilder()
        .Input("x", ElementType.Float, "N", 2)
        .Output("y", ElementType.Float, "N", 2)
        .Node("TestSpin", ["x"], ["y"], a => a.Int("max_ms", maxMs).String("tag", tag))
        .ToBytes();
}

/// <summary>
/// Test-only operators for behaviour real models show rarely on demand: a version that is slow
/// (sleeps in its kernel, like a model stuck on a cold cache) or that fails on every call (like a
/// kernel bug). Registered in a registry the test server's engine uses instead of the built-in one.
/// </summary>
internal static class TestKernels
{
    public static OnnxSessionOptions Options { get; } = new() { Registry = Build() };

    /// <summary>What each <c>TestSpin</c> run did, by tag: <c>stopped</c> (saw its cancellation) or <c>finished</c>.</summary>
    public static System.Collections.Concurrent.ConcurrentDictionary<string, string> Spins { get; } = new(StringComparer.Ordinal);

    private static KernelRegistry Build() =>
        new KernelRegistry().Add("", "TestScale", 1, node =>
        {
            node.SetOutput(0, node.InputType(0));
            return new ScaleKernel(node.GetFloat("scale", 1), (int)node.GetInt("sleep_ms", 0), node.GetInt("fail", 0) != 0);
        }).Add("", "TestSpin", 1, node =>
        {
            node.SetOutput(0, node.InputType(0));
            return new SpinKernel((int)node.GetInt("max_ms", 0), node.GetString("tag", ""));
        }).Freeze();

    private sealed class SpinKernel(int maxMs, string tag) : IKernel
    {
        public void Run(KernelContext context)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            while (started.ElapsedMilliseconds < maxMs)
            {
                if (context.IsCancelled)
                {
                    Spins[tag] = "stopped";
                    context.ThrowIfCancelled();
                }

                Thread.Sleep(5);
            }

            Spins[tag] = "finished";
            var x = context.Input<float>(0);
            x.Span.CopyTo(context.Output<float>(0, x.ShapeArray()).Span);
        }
    }

    private sealed class ScaleKernel(float scale, int sleepMs, bool fail) : IKernel
    {
        public void Run(KernelContext context)
        {
            if (fail)
            {
                throw context.Fail("injected failure");
            }

            if (sleepMs > 0)
            {
                Thread.Sleep(sleepMs);
            }

            var x = context.Input<float>(0);
            var y = context.Output<float>(0, x.ShapeArray());
            var source = x.Span;
            var target = y.Span;
            for (var i = 0; i < source.Length; i++)
            {
                target[i] = source[i] * scale;
            }
        }
    }
}

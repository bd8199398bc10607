using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Operators.Normalization;

/// <summary>
/// BatchNormalization over channel dim 1: y = scale * (x - mean) / sqrt(var + epsilon) + B. In training
/// mode (opset 14+) the batch's own mean and (population) variance are used and the running statistics
/// are returned, updated with momentum.
/// </summary>
internal static class BatchNormalizationOperator
{
    public static void Register(KernelRegistry registry) => registry.Add(OpsetDomains.Default, "BatchNormalization", 7, Create);

    private static IKernel Create(KernelBuildContext node)
    {
        var type = node.RequireType(0, TypeDispatch.FloatTypes);
        for (var i = 1; i < 5; i++)
        {
            node.RequireType(i, TypeDispatch.FloatTypes);
        }

        if (node.Opset < 9 && node.GetInt("spatial", 1) == 0)
        {
            throw node.Fail("spatial = 0 (per-activation statistics) is not supported");
        }

        var training = node.Opset >= 14 && node.GetInt("training_mode", 0) != 0;
        node.SetOutput(0, type, node.InputShape(0));
        for (var i = 1; i < node.OutputCount; i++)
        {
            node.SetOutput(i, node.InputElementType(i == 1 ? 3 : 4));
        }

        if (!training && node.Opset >= 14 && (node.HasOutput(1) || node.HasOutput(2)))
        {
            throw node.Fail("running_mean and running_var outputs need training_mode = 1");
        }

        var options = new Options(node.GetFloat("epsilon", 1e-5f), node.GetFloat("momentum", 0.9f), training);
        return TypeDispatch.Float<Factory, IKernel>(type, new Factory(options));
    }

    private sealed record Options(float Epsilon, float Momentum, bool Training);

    private readonly struct Factory(Options options) : IFloatFactory<IKernel>
    {
        public IKernel Create<T>()
            where T : unmanaged, IFloatingPointIeee754<T> => new Kernel<T>(options);
    }

    private sealed class Kernel<T>(Options options) : IKernel
        where T : IFloatingPointIeee754<T>
    {
        public void Run(KernelContext context)
        {
            var x = context.Input<T>(0);
            if (x.Rank < 2)
            {
                throw context.Fail($"X must have at least 2 dims (N, C, ...), got [{TensorShape.Format(x.Shape)}]");
            }

            var channels = x.Shape[1];
            var scale = Doubles(context, 1, channels);
            var bias = Doubles(context, 2, channels);
            var mean = Doubles(context, 3, channels);
            var variance = Doubles(context, 4, channels);
            var batch = x.Shape[0];
            var spatial = TensorShape.Product(x.Shape, 2, x.Rank);
            var src = x.Span;
            if (options.Training)
            {
                var batchMean = new double[channels];
                var batchVar = new double[channels];
                var count = (double)batch * spatial;
                for (var c = 0; c < channels; c++)
                {
                    double sum = 0, sq = 0;
                    for (var n = 0; n < batch; n++)
                    {
                        var row = src.Slice(((n * channels) + c) * spatial, spatial);
                        foreach (var v in row)
                        {
                            var d = double.CreateTruncating(v);
                            sum += d;
                            sq += d * d;
                        }
                    }

                    batchMean[c] = sum / count;
                    batchVar[c] = (sq / count) - (batchMean[c] * batchMean[c]);
                }

                WriteRunning(context, 1, mean, batchMean);
                WriteRunning(context, 2, variance, batchVar);
                mean = batchMean;
                variance = batchVar;
            }

            var y = context.Output<T>(0, x.ShapeRef);
            var dst = y.Span;
            for (var n = 0; n < batch; n++)
            {
                for (var c = 0; c < channels; c++)
                {
                    var factor = scale[c] / Math.Sqrt(variance[c] + options.Epsilon);
                    var shift = bias[c] - (mean[c] * factor);
                    var offset = ((n * channels) + c) * spatial;
                    for (var i = 0; i < spatial; i++)
                    {
                        dst[offset + i] = T.CreateTruncating((double.CreateTruncating(src[offset + i]) * factor) + shift);
                    }
                }
            }
        }

        private void WriteRunning(KernelContext context, int output, double[] running, double[] current)
        {
            if (!context.HasOutput(output))
            {
                return;
            }

            var t = context.Output<T>(output, [running.Length]);
            for (var c = 0; c < running.Length; c++)
            {
                t[c] = T.CreateTruncating((running[c] * options.Momentum) + (current[c] * (1 - options.Momentum)));
            }
        }

        private static double[] Doubles(KernelContext context, int index, int channels)
        {
            var t = context.InputTensor(index);
            if (t.Length != channels)
            {
                throw context.Fail($"input {index} has {t.Length} values for {channels} channels");
            }

            return t switch
            {
                OnnxTensor<float> f => [.. f.ToArray().Select(v => (double)v)],
                OnnxTensor<double> d => d.ToArray(),
                OnnxTensor<Half> h => [.. h.ToArray().Select(v => (double)v)],
                _ => throw context.Fail($"input {index} must be floating point"),
            };
        }
    }
}

using System.Numerics;
using Escala.Onnx.Execution;
using Escala.Onnx.Operators.Dispatch;

namespace Escala.Onnx.Operators.Elementwise;

/// <summary>An activation with up to two float parameters (alpha, beta) fixed per node.</summary>
internal interface IActivation
{
    static abstract T Apply<T>(T x, T alpha, T beta)
        where T : IFloatingPointIeee754<T>;
}

/// <summary>Runs an <see cref="IActivation"/> with the node's parameters converted once to <typeparamref name="T"/>.</summary>
internal sealed class ActivationKernel<T, TOp>(T alpha, T beta) : IKernel
    where T : IFloatingPointIeee754<T>
    where TOp : IActivation
{
    public void Run(KernelContext context)
    {
        var x = context.Input<T>(0);
        var y = context.Output<T>(0, x.ShapeRef);
        var src = x.Span;
        var dst = y.Span;
        for (var i = 0; i < dst.Length; i++)
        {
            dst[i] = TOp.Apply(src[i], alpha, beta);
        }
    }
}

/// <summary>LeakyRelu, Elu, HardSigmoid and Gelu.</summary>
internal static class Activations
{
    public static void Register(KernelRegistry registry)
    {
        registry.Add(OpsetDomains.Default, "LeakyRelu", 6, node => Create<LeakyRelu>(node, node.GetFloat("alpha", 0.01f), 0));
        registry.Add(OpsetDomains.Default, "Elu", 6, node => Create<Elu>(node, node.GetFloat("alpha", 1f), 0));
        registry.Add(OpsetDomains.Default, "HardSigmoid", 6, node => Create<HardSigmoid>(node, node.GetFloat("alpha", 0.2f), node.GetFloat("beta", 0.5f)));
        registry.Add(OpsetDomains.Default, "Gelu", 20, CreateGelu);
    }

    private static IKernel CreateGelu(KernelBuildContext node)
    {
        var approximate = node.GetString("approximate", "none");
        return approximate switch
        {
            "none" => Create<Gelu>(node, 0, 0),
            "tanh" => Create<GeluTanh>(node, 0, 0),
            _ => throw node.Fail($"attribute 'approximate' is '{approximate}'; expected 'none' or 'tanh'"),
        };
    }

    private static IKernel Create<TOp>(KernelBuildContext node, float alpha, float beta)
        where TOp : IActivation
    {
        var type = node.RequireType(0, TypeDispatch.FloatTypes);
        node.SetOutput(0, type, node.InputShape(0));
        return TypeDispatch.Float<Factory<TOp>, IKernel>(type, new Factory<TOp>(alpha, beta));
    }

    private readonly struct Factory<TOp>(float alpha, float beta) : IFloatFactory<IKernel>
        where TOp : IActivation
    {
        public IKernel Create<T>()
            where T : unmanaged, IFloatingPointIeee754<T> => new ActivationKernel<T, TOp>(T.CreateTruncating(alpha), T.CreateTruncating(beta));
    }

    private readonly struct LeakyRelu : IActivation
    {
        public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => x < T.Zero ? alpha * x : x;
    }

    private readonly struct Elu : IActivation
    {
        public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => x < T.Zero ? alpha * (T.Exp(x) - T.One) : x;
    }

    private readonly struct HardSigmoid : IActivation
    {
        public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => T.Clamp((alpha * x) + beta, T.Zero, T.One);
    }

    /// <summary>x * Phi(x) with the exact normal CDF: 0.5 * x * (1 + erf(x / sqrt 2)).</summary>
    private readonly struct Gelu : IActivation
    {
        public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T>
        {
            var v = double.CreateTruncating(x);
            return T.CreateTruncating(0.5 * v * (1 + ErrorFunction.Erf(v / Math.Sqrt(2))));
        }
    }

    /// <summary>The tanh approximation: 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))).</summary>
    private readonly struct GeluTanh : IActivation
    {
        public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T>
        {
            var v = double.CreateTruncating(x);
            return T.CreateTruncating(0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + (0.044715 * v * v * v)))));
        }
    }
}

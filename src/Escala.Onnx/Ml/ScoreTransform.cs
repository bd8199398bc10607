using System.Runtime.CompilerServices;

namespace Escala.Onnx.Ml;

/// <summary>
/// The score transforms of ai.onnx.ml, computed in single precision as ONNX Runtime does (its ml_common.h),
/// so probabilities agree with the reference to the last bits where it matters (ties between classes).
/// </summary>
public static class ScoreTransform
{
    /// <summary>1 / (1 + e^-x), computed on |x| so large negative scores do not overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Logistic(float x)
    {
        var v = 1f / (1f + MathF.Exp(-MathF.Abs(x)));
        return x < 0 ? 1f - v : v;
    }

    /// <summary>The probit of a probability: sqrt(2) * erfinv(2p - 1), with ONNX Runtime's erfinv approximation.</summary>
    public static float Probit(float p) => MathF.Sqrt(2f) * ErfInv((2f * p) - 1f);

    /// <summary>
    /// The closed-form inverse error function approximation (a = 0.147) ONNX Runtime uses; outside (-1, 1) it
    /// yields NaN or infinities exactly like the reference, which real PROBIT models never reach.
    /// </summary>
    public static float ErfInv(float x)
    {
        var sign = x < 0 ? -1f : 1f;
        x = (1 - x) * (1 + x);
        var log = MathF.Log(x);
        var v = (2 / (MathF.PI * 0.147f)) + (0.5f * log);
        var v2 = 1 / 0.147f * log;
        var v3 = -v + MathF.Sqrt((v * v) - v2);
        return sign * MathF.Sqrt(v3);
    }

    /// <summary>Softmax in place, subtracting the maximum first for stability.</summary>
    public static void Softmax(Span<float> values)
    {
        var max = float.MinValue;
        foreach (var v in values)
        {
            if (v > max)
            {
                max = v;
            }
        }

        var sum = 0f;
        for (var i = 0; i < values.Length; i++)
        {
            var e = MathF.Exp(values[i] - max);
            values[i] = e;
            sum += e;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= sum;
        }
    }

    /// <summary>Softmax over the non-zero values (|v| > 1e-7); zero values stay (near) zero.</summary>
    public static void SoftmaxZero(Span<float> values)
    {
        var max = float.MinValue;
        foreach (var v in values)
        {
            if (v > max)
            {
                max = v;
            }
        }

        var expNegMax = MathF.Exp(-max);
        var sum = 0f;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (v is > 0.0000001f or < -0.0000001f)
            {
                var e = MathF.Exp(v - max);
                values[i] = e;
                sum += e;
            }
            else
            {
                values[i] = v * expNegMax;
            }
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= sum;
        }
    }

    /// <summary>Applies <paramref name="transform"/> to the scores of one row, in place.</summary>
    public static void Apply(PostTransform transform, Span<float> row)
    {
        switch (transform)
        {
            case PostTransform.Softmax:
                Softmax(row);
                break;
            case PostTransform.SoftmaxZero:
                SoftmaxZero(row);
                break;
            case PostTransform.Logistic:
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = Logistic(row[i]);
                }

                break;
            case PostTransform.Probit:
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = Probit(row[i]);
                }

                break;
            case PostTransform.None:
            default:
                break;
        }
    }
}

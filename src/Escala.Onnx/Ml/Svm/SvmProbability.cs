namespace Escala.Onnx.Ml.Svm;

/// <summary>
/// Platt-scaled pairwise probabilities combined into class probabilities by the pairwise coupling of Wu, Lin and
/// Weng (2004, method 2), the procedure libsvm (and so scikit-learn's SVC with probability=True, and ONNX Runtime)
/// uses, computed in single precision.
/// </summary>
public static class SvmProbability
{
    /// <summary>P(class i | pair i, j) from the decision value of that pair: 1 - logistic(a * score + b).</summary>
    public static float Sigmoid(float score, float a, float b) => 1f - ScoreTransform.Logistic((score * a) + b);

    /// <summary>
    /// Class probabilities <paramref name="p"/> (k values) from the pairwise estimates <paramref name="r"/> (k x k,
    /// r[i,j] = P(i | i or j)), by iterating to the fixed point of min Σ (r_ji p_i - r_ij p_j)² subject to Σ p = 1.
    /// </summary>
    public static void Couple(int k, ReadOnlySpan<float> r, Span<float> p, Span<float> scratch)
    {
        var q = scratch[..(k * k)];
        var qp = scratch.Slice(k * k, k);
        q.Clear();
        for (var i = 0; i < k; i++)
        {
            p[i] = 1f / k;
            for (var j = 0; j < i; j++)
            {
                q[(i * k) + i] += r[(j * k) + i] * r[(j * k) + i];
                q[(i * k) + j] = q[(j * k) + i];
            }

            for (var j = i + 1; j < k; j++)
            {
                q[(i * k) + i] += r[(j * k) + i] * r[(j * k) + i];
                q[(i * k) + j] = -r[(j * k) + i] * r[(i * k) + j];
            }
        }

        var epsilon = 0.005f / k;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var pqp = 0f;
            for (var i = 0; i < k; i++)
            {
                qp[i] = 0f;
                for (var j = 0; j < k; j++)
                {
                    qp[i] += q[(i * k) + j] * p[j];
                }

                pqp += p[i] * qp[i];
            }

            var maxError = 0f;
            for (var i = 0; i < k; i++)
            {
                maxError = MathF.Max(maxError, MathF.Abs(qp[i] - pqp));
            }

            if (maxError < epsilon)
            {
                break;
            }

            for (var i = 0; i < k; i++)
            {
                var diff = (-qp[i] + pqp) / q[(i * k) + i];
                p[i] += diff;
                pqp = (pqp + (diff * ((diff * q[(i * k) + i]) + (2 * qp[i])))) / (1 + diff) / (1 + diff);
                for (var j = 0; j < k; j++)
                {
                    qp[j] = (qp[j] + (diff * q[(i * k) + j])) / (1 + diff);
                    p[j] /= 1 + diff;
                }
            }
        }
    }
}

namespace Escala.Cli.Demo;

/// <summary>
/// A logistic regression fitted by iteratively reweighted least squares (Newton's method) on
/// standardised features with an L2 penalty, reported on the original feature scale so the ONNX
/// model needs no scaler.
/// </summary>
public sealed record LogisticRegression(double Intercept, double[] Weights, int Iterations, double L2)
{
    /// <summary>Fits the model to rows <paramref name="x"/> and outcomes <paramref name="y"/>.</summary>
    public static LogisticRegression Fit(double[][] x, bool[] y, double l2 = 1.0, int maxIterations = 50)
    {
        var n = x.Length;
        var p = x[0].Length;
        var mean = new double[p];
        var sd = new double[p];
        for (var j = 0; j < p; j++)
        {
            mean[j] = x.Average(row => row[j]);
            sd[j] = Math.Sqrt(x.Sum(row => (row[j] - mean[j]) * (row[j] - mean[j])) / n);
            if (sd[j] == 0)
            {
                sd[j] = 1;
            }
        }

        // Coefficients on the standardised scale; index 0 is the intercept.
        var beta = new double[p + 1];
        var z = new double[p + 1];
        var iterations = 0;
        for (; iterations < maxIterations; iterations++)
        {
            var gradient = new double[p + 1];
            var hessian = new double[p + 1, p + 1];
            for (var i = 0; i < n; i++)
            {
                z[0] = 1;
                for (var j = 0; j < p; j++)
                {
                    z[j + 1] = (x[i][j] - mean[j]) / sd[j];
                }

                var eta = 0.0;
                for (var j = 0; j <= p; j++)
                {
                    eta += beta[j] * z[j];
                }

                var mu = 1.0 / (1.0 + Math.Exp(-eta));
                var w = mu * (1 - mu);
                var residual = (y[i] ? 1.0 : 0.0) - mu;
                for (var j = 0; j <= p; j++)
                {
                    gradient[j] += residual * z[j];
                    for (var k = 0; k <= j; k++)
                    {
                        hessian[j, k] += w * z[j] * z[k];
                    }
                }
            }

            for (var j = 0; j <= p; j++)
            {
                for (var k = 0; k < j; k++)
                {
                    hessian[k, j] = hessian[j, k];
                }

                if (j > 0)
                {
                    // The intercept is not penalised.
                    gradient[j] -= l2 * beta[j];
                    hessian[j, j] += l2;
                }
            }

            var step = Solve(hessian, gradient);
            var largest = 0.0;
            for (var j = 0; j <= p; j++)
            {
                beta[j] += step[j];
                largest = Math.Max(largest, Math.Abs(step[j]));
            }

            if (largest < 1e-10)
            {
                iterations++;
                break;
            }
        }

        var weights = new double[p];
        var intercept = beta[0];
        for (var j = 0; j < p; j++)
        {
            weights[j] = beta[j + 1] / sd[j];
            intercept -= beta[j + 1] * mean[j] / sd[j];
        }

        return new LogisticRegression(intercept, weights, iterations, l2);
    }

    /// <summary>The probability of default for one application.</summary>
    public double Predict(double[] features)
    {
        var eta = Intercept;
        for (var j = 0; j < Weights.Length; j++)
        {
            eta += Weights[j] * features[j];
        }

        return 1.0 / (1.0 + Math.Exp(-eta));
    }

    // Gaussian elimination with partial pivoting; the system is small (features + 1).
    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var v = (double[])b.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < n; row++)
            {
                if (Math.Abs(m[row, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = row;
                }
            }

            if (Math.Abs(m[pivot, col]) < 1e-300)
            {
                throw new InvalidOperationException("The Hessian is singular; the features are collinear.");
            }

            if (pivot != col)
            {
                for (var k = 0; k < n; k++)
                {
                    (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
                }

                (v[col], v[pivot]) = (v[pivot], v[col]);
            }

            for (var row = col + 1; row < n; row++)
            {
                var factor = m[row, col] / m[col, col];
                for (var k = col; k < n; k++)
                {
                    m[row, k] -= factor * m[col, k];
                }

                v[row] -= factor * v[col];
            }
        }

        var solution = new double[n];
        for (var row = n - 1; row >= 0; row--)
        {
            var sum = v[row];
            for (var k = row + 1; k < n; k++)
            {
                sum -= m[row, k] * solution[k];
            }

            solution[row] = sum / m[row, row];
        }

        return solution;
    }
}

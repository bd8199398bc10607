namespace Escala.Core.Capacity;

/// <summary>One load-test point: concurrency and the throughput measured at it.</summary>
public readonly record struct LoadPoint(double Concurrency, double Throughput);

/// <summary>
/// Fits <see cref="UslModel"/> to measurements by non-linear least squares (Levenberg-Marquardt on the
/// throughput residuals, σ and κ kept non-negative). Starts where codahale/usl-rs starts (σ 0.1, κ 0.01,
/// λ the best X/N seen), which converges on its published 32-point vector.
/// </summary>
public static class UslFit
{
    private const int MaxIterations = 500;

    /// <summary>The least-squares model; throws when fewer than three distinct concurrency levels were measured.</summary>
    public static UslModel Fit(IReadOnlyList<LoadPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Select(p => p.Concurrency).Distinct().Count() < 3)
        {
            throw new ArgumentException("Fitting three parameters needs measurements at three or more concurrency levels.", nameof(points));
        }

        if (points.Any(p => !(p.Concurrency >= 1) || !double.IsFinite(p.Throughput) || p.Throughput < 0))
        {
            throw new ArgumentException("Every measurement needs a concurrency of at least 1 and a finite, non-negative throughput.", nameof(points));
        }

        var p = new[] { 0.1, 0.01, points.Max(x => x.Throughput / x.Concurrency) };
        var damping = 1e-3;
        var cost = Cost(points, p);
        var jtj = new double[3, 3];
        var jtr = new double[3];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            Normal(points, p, jtj, jtr);
            var improved = false;
            while (damping < 1e16)
            {
                var a = new double[3, 3];
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < 3; j++)
                    {
                        a[i, j] = jtj[i, j];
                    }

                    // Marquardt's scaling: damp each parameter relative to its own curvature, as σ, κ and λ differ by six orders of magnitude.
                    a[i, i] += damping * Math.Max(jtj[i, i], 1e-300);
                }

                var step = Solve(a, jtr);
                var trial = new[] { Math.Max(0, p[0] + step[0]), Math.Max(0, p[1] + step[1]), p[2] + step[2] };
                var trialCost = Cost(points, trial);
                if (trialCost < cost)
                {
                    var converged = Math.Abs(cost - trialCost) <= 1e-15 * cost;
                    p = trial;
                    cost = trialCost;
                    damping = Math.Max(damping / 10, 1e-12);
                    improved = true;
                    if (converged)
                    {
                        return new UslModel(p[0], p[1], p[2]);
                    }

                    break;
                }

                damping *= 10;
            }

            if (!improved)
            {
                break;
            }
        }

        return new UslModel(p[0], p[1], p[2]);
    }

    private static double Cost(IReadOnlyList<LoadPoint> points, double[] p)
    {
        var model = new UslModel(p[0], p[1], p[2]);
        var sum = 0.0;
        foreach (var point in points)
        {
            var r = point.Throughput - model.ThroughputAt(point.Concurrency);
            sum += r * r;
        }

        return sum;
    }

    // JᵀJ and Jᵀr for the residuals r = X − f(N), with J the Jacobian of f.
    private static void Normal(IReadOnlyList<LoadPoint> points, double[] p, double[,] jtj, double[] jtr)
    {
        Array.Clear(jtj);
        Array.Clear(jtr);
        Span<double> g = stackalloc double[3];
        foreach (var point in points)
        {
            var n = point.Concurrency;
            var d = 1 + p[0] * (n - 1) + p[1] * n * (n - 1);
            var f = p[2] * n / d;
            g[0] = -p[2] * n * (n - 1) / (d * d);
            g[1] = -p[2] * n * n * (n - 1) / (d * d);
            g[2] = n / d;
            var r = point.Throughput - f;
            for (var i = 0; i < 3; i++)
            {
                jtr[i] += g[i] * r;
                for (var j = 0; j < 3; j++)
                {
                    jtj[i, j] += g[i] * g[j];
                }
            }
        }
    }

    // Gaussian elimination with partial pivoting on a 3x3 system.
    private static double[] Solve(double[,] a, double[] b)
    {
        var m = new double[3, 4];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                m[i, j] = a[i, j];
            }

            m[i, 3] = b[i];
        }

        for (var col = 0; col < 3; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < 3; row++)
            {
                if (Math.Abs(m[row, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = row;
                }
            }

            for (var j = 0; j < 4; j++)
            {
                (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
            }

            for (var row = col + 1; row < 3; row++)
            {
                var factor = m[row, col] / m[col, col];
                for (var j = col; j < 4; j++)
                {
                    m[row, j] -= factor * m[col, j];
                }
            }
        }

        var x = new double[3];
        for (var i = 2; i >= 0; i--)
        {
            var s = m[i, 3];
            for (var j = i + 1; j < 3; j++)
            {
                s -= m[i, j] * x[j];
            }

            x[i] = s / m[i, i];
        }

        return x;
    }
}

namespace Escala.Onnx.Operators.Elementwise;

/// <summary>
/// The error function in double precision: a Maclaurin series near zero (where relative accuracy matters)
/// and a Chebyshev-fitted complementary function beyond (fractional error below 1.2e-7).
/// </summary>
internal static class ErrorFunction
{
    private const double TwoOverSqrtPi = 1.1283791670955126;

    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        var a = Math.Abs(x);
        if (a < 0.5)
        {
            // erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
            var x2 = x * x;
            var term = x;
            var sum = x;
            for (var n = 1; n < 30; n++)
            {
                term *= -x2 / n;
                var add = term / ((2 * n) + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum))
                {
                    break;
                }
            }

            return TwoOverSqrtPi * sum;
        }

        if (a > 6)
        {
            return Math.Sign(x);
        }

        var t = 1.0 / (1.0 + (0.5 * a));
        var poly = -(a * a) - 1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
            + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        var erfc = t * Math.Exp(poly);
        return x >= 0 ? 1 - erfc : erfc - 1;
    }
}

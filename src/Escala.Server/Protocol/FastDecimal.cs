namespace Escala.Server.Protocol;

/// <summary>
/// Parses the short decimal numbers requests usually carry (e.g. <c>5.1</c>, <c>-0.25</c>, <c>3e-4</c>) without
/// the general parser: when the digits fit 2^53 and the power of ten is at most 22, one IEEE multiply or divide
/// of two exact doubles gives the correctly rounded result (Clinger's fast path). Anything else is left to the
/// general parser.
/// </summary>
internal static class FastDecimal
{
    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>Parses a JSON number token; false when it is outside the exact fast path.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (i < text.Length && text[i] == '-')
        {
            negative = true;
            i++;
        }

        ulong mantissa = 0;
        var digits = 0;
        var exponent = 0;
        for (; i < text.Length && IsDigit(text[i]); i++)
        {
            if (++digits > 19)
            {
                return false;
            }

            mantissa = (mantissa * 10) + (uint)(text[i] - '0');
        }

        if (i < text.Length && text[i] == '.')
        {
            for (i++; i < text.Length && IsDigit(text[i]); i++)
            {
                if (++digits > 19)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + (uint)(text[i] - '0');
                exponent--;
            }
        }

        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            var negativeExponent = false;
            if (i < text.Length && (text[i] == '-' || text[i] == '+'))
            {
                negativeExponent = text[i] == '-';
                i++;
            }

            var e = 0;
            for (; i < text.Length && IsDigit(text[i]); i++)
            {
                if (e > 1000)
                {
                    return false;
                }

                e = (e * 10) + (text[i] - '0');
            }

            exponent += negativeExponent ? -e : e;
        }

        if (i != text.Length || mantissa > (1UL << 53) || exponent < -22 || exponent > 22)
        {
            return false;
        }

        value = exponent >= 0 ? mantissa * PowersOfTen[exponent] : mantissa / PowersOfTen[-exponent];
        if (negative)
        {
            value = -value;
        }

        return true;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}

namespace Escala.Onnx.Ml.Trees;

/// <summary>How the leaf values the trees give one target are combined (attribute <c>aggregate_function</c>).</summary>
public enum TreeAggregate
{
    /// <summary>The mean over all trees (the sum divided by the number of trees).</summary>
    Average = 0,

    /// <summary>The sum.</summary>
    Sum = 1,

    /// <summary>The smallest value.</summary>
    Min = 2,

    /// <summary>The largest value.</summary>
    Max = 3,
}

/// <summary>Reads <see cref="TreeAggregate"/> from its string (opset 1-3) and integer (opset 5) encodings.</summary>
public static class TreeAggregates
{
    /// <summary>Parses "AVERAGE", "SUM", "MIN" or "MAX" (default SUM).</summary>
    public static TreeAggregate Parse(string? value) => value switch
    {
        null or "" or "SUM" => TreeAggregate.Sum,
        "AVERAGE" => TreeAggregate.Average,
        "MIN" => TreeAggregate.Min,
        "MAX" => TreeAggregate.Max,
        _ => throw new FormatException($"aggregate_function '{value}' is not one of AVERAGE, SUM, MIN, MAX."),
    };

    /// <summary>Reads the opset-5 code: 0 AVERAGE, 1 SUM, 2 MIN, 3 MAX.</summary>
    public static TreeAggregate FromCode(long value) => value is >= 0 and <= 3
        ? (TreeAggregate)value
        : throw new FormatException($"aggregate_function {value} is not one of 0 (AVERAGE), 1 (SUM), 2 (MIN), 3 (MAX).");
}

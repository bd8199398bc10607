namespace Escala.Onnx.Ml;

/// <summary>The transform an ai.onnx.ml model applies to its raw scores (attribute <c>post_transform</c>).</summary>
public enum PostTransform
{
    /// <summary>Scores are returned as computed.</summary>
    None = 0,

    /// <summary>Softmax over the scores of one row.</summary>
    Softmax = 1,

    /// <summary>Logistic function of each score.</summary>
    Logistic = 2,

    /// <summary>Softmax over the non-zero scores of one row; zero scores stay zero.</summary>
    SoftmaxZero = 3,

    /// <summary>The probit (inverse normal CDF) of each score.</summary>
    Probit = 4,
}

/// <summary>Reads <see cref="PostTransform"/> from the string (opset 1-3) and integer (TreeEnsemble opset 5) encodings.</summary>
public static class PostTransforms
{
    /// <summary>Parses the string form used by most ai.onnx.ml operators ("NONE", "SOFTMAX", ...).</summary>
    public static PostTransform Parse(string? value) => value switch
    {
        null or "" or "NONE" => PostTransform.None,
        "SOFTMAX" => PostTransform.Softmax,
        "LOGISTIC" => PostTransform.Logistic,
        "SOFTMAX_ZERO" => PostTransform.SoftmaxZero,
        "PROBIT" => PostTransform.Probit,
        _ => throw new FormatException($"post_transform '{value}' is not one of NONE, SOFTMAX, LOGISTIC, SOFTMAX_ZERO, PROBIT."),
    };

    /// <summary>Parses the integer form of TreeEnsemble (ai.onnx.ml opset 5): 0 NONE, 1 SOFTMAX, 2 LOGISTIC, 3 SOFTMAX_ZERO, 4 PROBIT.</summary>
    public static PostTransform FromCode(long value) => value is >= 0 and <= 4
        ? (PostTransform)value
        : throw new FormatException($"post_transform {value} is not one of 0 (NONE), 1 (SOFTMAX), 2 (LOGISTIC), 3 (SOFTMAX_ZERO), 4 (PROBIT).");
}

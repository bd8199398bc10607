namespace Escala.Onnx;

/// <summary>Names of operator-set domains and the newest opset of each the engine knows.</summary>
public static class OpsetDomains
{
    /// <summary>The default ONNX domain, stored as the empty string.</summary>
    public const string Default = "";

    /// <summary>The classical machine-learning domain.</summary>
    public const string Ml = "ai.onnx.ml";

    /// <summary>The newest default-domain opset whose operator definitions the engine knows (ONNX 1.22).</summary>
    public const int MaxDefaultOpset = 27;

    /// <summary>The newest ai.onnx.ml opset the engine knows.</summary>
    public const int MaxMlOpset = 5;

    /// <summary>The canonical stored form: <c>ai.onnx</c> and empty both mean the default domain.</summary>
    public static string Normalize(string? domain) => string.IsNullOrEmpty(domain) || domain == "ai.onnx" ? Default : domain;

    /// <summary>The form shown to people: <c>ai.onnx</c> for the default domain.</summary>
    public static string Display(string? domain) => Normalize(domain) is { Length: > 0 } d ? d : "ai.onnx";

    /// <summary>The newest opset known for a domain, or null for a domain the engine has no operators in.</summary>
    public static int? MaxKnown(string domain) => Normalize(domain) switch
    {
        Default => MaxDefaultOpset,
        Ml => MaxMlOpset,
        _ => null,
    };
}

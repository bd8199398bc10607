namespace Escala.Onnx.Ml.Trees;

/// <summary>The comparison a tree node makes between a feature and its threshold, or that it is a leaf.</summary>
public enum BranchMode : byte
{
    /// <summary>True when feature &lt;= threshold.</summary>
    Leq = 0,

    /// <summary>True when feature &lt; threshold.</summary>
    Lt = 1,

    /// <summary>True when feature &gt;= threshold.</summary>
    Gte = 2,

    /// <summary>True when feature &gt; threshold.</summary>
    Gt = 3,

    /// <summary>True when feature == threshold.</summary>
    Eq = 4,

    /// <summary>True when feature != threshold.</summary>
    Neq = 5,

    /// <summary>True when the feature is one of a set of values (TreeEnsemble, ai.onnx.ml opset 5).</summary>
    Member = 6,

    /// <summary>A leaf: no comparison, the tree's answer.</summary>
    Leaf = 7,
}

/// <summary>Reads <see cref="BranchMode"/> from the encodings of the two operator generations.</summary>
public static class BranchModes
{
    /// <summary>Parses a <c>nodes_modes</c> string of TreeEnsembleClassifier/Regressor.</summary>
    public static BranchMode Parse(string value) => value switch
    {
        "BRANCH_LEQ" => BranchMode.Leq,
        "BRANCH_LT" => BranchMode.Lt,
        "BRANCH_GTE" => BranchMode.Gte,
        "BRANCH_GT" => BranchMode.Gt,
        "BRANCH_EQ" => BranchMode.Eq,
        "BRANCH_NEQ" => BranchMode.Neq,
        "LEAF" => BranchMode.Leaf,
        _ => throw new FormatException($"nodes_modes value '{value}' is not one of BRANCH_LEQ, BRANCH_LT, BRANCH_GTE, BRANCH_GT, BRANCH_EQ, BRANCH_NEQ, LEAF."),
    };

    /// <summary>Reads a <c>nodes_modes</c> code of TreeEnsemble opset 5 (0 LEQ ... 6 MEMBER).</summary>
    public static BranchMode FromCode(int value) => value is >= 0 and <= 6
        ? (BranchMode)value
        : throw new FormatException($"nodes_modes value {value} is not one of 0 (BRANCH_LEQ) ... 6 (BRANCH_MEMBER).");
}

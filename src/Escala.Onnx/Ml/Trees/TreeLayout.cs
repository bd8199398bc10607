namespace Escala.Onnx.Ml.Trees;

/// <summary>The node layouts a <see cref="TreeEnsembleScorer{T}"/> can walk.</summary>
public enum TreeLayout
{
    /// <summary>The fastest layout that can express the ensemble.</summary>
    Auto,

    /// <summary>Every node kind, one row at a time: the reference walk.</summary>
    General,

    /// <summary>Order comparisons rewritten to one form, explicit children, rows in lock step.</summary>
    Explicit,

    /// <summary>As explicit, with trees padded to complete trees so children need no storage.</summary>
    Perfect,
}

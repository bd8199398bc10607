namespace Escala.Onnx.Ml.Svm;

/// <summary>The kernel of an SVM (attribute <c>kernel_type</c>).</summary>
public enum SvmKernelType
{
    /// <summary>x · v.</summary>
    Linear,

    /// <summary>(gamma x · v + coef0)^degree.</summary>
    Poly,

    /// <summary>exp(-gamma |x - v|²).</summary>
    Rbf,

    /// <summary>tanh(gamma x · v + coef0).</summary>
    Sigmoid,
}

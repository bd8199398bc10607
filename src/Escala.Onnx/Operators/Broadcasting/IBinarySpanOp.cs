namespace Escala.Onnx.Operators.Broadcasting;

/// <summary>An element-wise binary operation on spans, in the three forms broadcasting produces.</summary>
internal interface IBinarySpanOp<T1, T2, TOut>
{
    static abstract TOut Scalar(T1 a, T2 b);

    static abstract void VectorVector(ReadOnlySpan<T1> a, ReadOnlySpan<T2> b, Span<TOut> destination);

    static abstract void VectorScalar(ReadOnlySpan<T1> a, T2 b, Span<TOut> destination);

    static abstract void ScalarVector(T1 a, ReadOnlySpan<T2> b, Span<TOut> destination);
}

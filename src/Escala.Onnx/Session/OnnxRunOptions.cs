namespace Escala.Onnx;

/// <summary>
/// Limits of one run. A value type, so passing it costs no allocation on the hot path.
/// </summary>
/// <param name="MaxBytes">
/// The bytes this run may allocate (outputs, intermediates and scratch together); 0 uses the session's
/// <see cref="OnnxSessionOptions.MaxRunBytes"/>. Checked before every allocation; exceeding it throws
/// <see cref="OnnxBudgetException"/>.
/// </param>
/// <param name="CancellationToken">
/// Stops the run cooperatively (between nodes, and every few thousand rows inside long kernels) with an
/// <see cref="OperationCanceledException"/>: a gateway deadline that has answered from the fallback
/// uses it so an abandoned run stops allocating and computing.
/// </param>
public readonly record struct OnnxRunOptions(long MaxBytes = 0, CancellationToken CancellationToken = default);

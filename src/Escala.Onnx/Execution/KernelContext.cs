using System.Runtime.CompilerServices;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Execution;

/// <summary>
/// What a kernel sees while it runs: its inputs and a place to put its outputs. One context per run (never
/// shared between threads). Output buffers come from a pool and return to it when the run ends, except
/// those of graph outputs, which are handed to the caller. Buffers are not cleared: write every element.
/// </summary>
public sealed class KernelContext
{
    private readonly RunState _state;
    private PlanStep _step = null!;

    internal KernelContext(RunState state) => _state = state;

    /// <summary>The number of inputs listed on the node (including omitted optional ones).</summary>
    public int InputCount => _step.Inputs.Length;

    /// <summary>The number of outputs listed on the node.</summary>
    public int OutputCount => _step.Outputs.Length;

    /// <summary>The running node's name, for messages.</summary>
    public string NodeName => _step.NodeName;

    /// <summary>Whether input <paramref name="index"/> is present.</summary>
    public bool HasInput(int index) => index < _step.Inputs.Length && _step.Inputs[index] >= 0;

    /// <summary>Whether output <paramref name="index"/> is wanted by the graph.</summary>
    public bool HasOutput(int index) => index < _step.Outputs.Length && _step.Outputs[index] >= 0;

    /// <summary>Input <paramref name="index"/> (present inputs only).</summary>
    public OnnxValue Input(int index)
    {
        var slot = HasInput(index) ? _step.Inputs[index] : -1;
        return (slot >= 0 ? _state.Slots[slot] : null) ?? throw Fail($"input {index} is missing");
    }

    /// <summary>Input <paramref name="index"/> as a tensor.</summary>
    public OnnxTensor InputTensor(int index) =>
        Input(index) as OnnxTensor ?? throw Fail($"input {index} is not a tensor");

    /// <summary>Input <paramref name="index"/> as a tensor of <typeparamref name="T"/> (the type checked at compile time).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public OnnxTensor<T> Input<T>(int index)
    {
        var inputs = _step.Inputs;
        if ((uint)index < (uint)inputs.Length && (uint)inputs[index] < (uint)_state.Slots.Length && _state.Slots[inputs[index]] is OnnxTensor<T> tensor)
        {
            return tensor;
        }

        return WrongInput<T>(index);
    }

    /// <summary>Input <paramref name="index"/> as a tensor of <typeparamref name="T"/>, or null when omitted.</summary>
    public OnnxTensor<T>? OptionalInput<T>(int index) => HasInput(index) ? Input<T>(index) : null;

    /// <summary>
    /// A new tensor for output <paramref name="index"/> with the given shape (the array is kept, not copied).
    /// Its elements are not initialised. Counted against the run's byte budget before it is allocated.
    /// </summary>
    public OnnxTensor<T> Output<T>(int index, int[] shape)
    {
        var size = CheckedSize(shape);
        if (size > _state.MaxElements)
        {
            throw Fail($"output {index} would have {size} elements (shape [{TensorShape.Format(shape)}]), more than the limit of {_state.MaxElements}");
        }

        var length = (int)size;
        if (!TryReserve<T>(length, out var bytes))
        {
            throw OverBudget($"output {index} (shape [{TensorShape.Format(shape)}])", bytes);
        }

        var slot = index < _step.Outputs.Length ? _step.Outputs[index] : -1;
        OnnxTensor<T> tensor;
        if (slot >= 0 && !_state.OwnAll && _state.SlotIsOutput[slot])
        {
            // Handed to the caller: exact size, and not zeroed since the kernel writes every element.
            tensor = OnnxTensor<T>.Wrap(GC.AllocateUninitializedArray<T>(length), shape);
            _state.Fresh[slot] = tensor;
        }
        else
        {
            tensor = OnnxTensor<T>.Wrap(_state.Rent<T>(length).AsMemory(0, length), shape);
        }

        if (slot >= 0)
        {
            _state.Slots[slot] = tensor;
        }

        return tensor;
    }

    /// <summary>Sets output <paramref name="index"/> to a value the kernel made (e.g. a view of an input, or a map sequence).</summary>
    public void SetOutput(int index, OnnxValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var slot = index < _step.Outputs.Length ? _step.Outputs[index] : -1;
        if (slot >= 0)
        {
            _state.Slots[slot] = value;
        }
    }

    /// <summary>
    /// Scratch memory for the rest of the run (pooled; not initialised), counted against the run's byte budget
    /// before it is allocated. Compute <paramref name="length"/> in 64-bit (<c>(long)rows * width</c>): an
    /// <c>int</c> product can wrap to a small or negative number and slip past any check.
    /// </summary>
    public Span<T> Scratch<T>(long length)
    {
        if (length < 0 || length > TensorShape.MaxElements)
        {
            throw Fail($"scratch of {length} elements is more than an array can hold");
        }

        if (!TryReserve<T>(length, out var bytes))
        {
            throw OverBudget($"scratch of {length} elements", bytes);
        }

        return _state.Rent<T>((int)length).AsSpan(0, (int)length);
    }

    /// <summary>
    /// A new array the kernel hands out as part of an output (e.g. a map sequence's values), counted against
    /// the run's byte budget before it is allocated.
    /// </summary>
    public T[] Allocate<T>(long length)
    {
        if (length < 0 || length > TensorShape.MaxElements)
        {
            throw Fail($"an output of {length} elements is more than an array can hold");
        }

        if (!TryReserve<T>(length, out var bytes))
        {
            throw OverBudget($"an output of {length} elements", bytes);
        }

        return length == 0 ? [] : GC.AllocateUninitializedArray<T>((int)length);
    }

    /// <summary>
    /// Throws <see cref="OperationCanceledException"/> when the run was cancelled (its deadline passed). Long
    /// kernels call it every few thousand rows; the executor calls it between nodes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ThrowIfCancelled() => _state.Cancellation.ThrowIfCancellationRequested();

    /// <summary>Whether the run was cancelled (for kernels that stop at a convenient point).</summary>
    public bool IsCancelled => _state.Cancellation.IsCancellationRequested;

    /// <summary>An error naming the running node, to throw from a kernel.</summary>
    public OnnxRuntimeException Fail(string message) => new(_step.NodeName, _step.OpType, message);

    internal void Begin(PlanStep step) => _step = step;

    /// <summary>
    /// Counts <paramref name="length"/> elements of <typeparamref name="T"/> against the budget; false (nothing counted,
    /// nothing allocated) when they do not fit. The caller formats the error only then: this runs for every allocation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReserve<T>(long length, out long bytes)
    {
        var size = Unsafe.SizeOf<T>();
        bytes = length > long.MaxValue / size ? long.MaxValue : length * size;
        return _state.TryCharge(bytes);
    }

    private OnnxBudgetException OverBudget(string what, long bytes) => new(_step.NodeName, _step.OpType, what, bytes, _state.Used, _state.Budget);

    /// <summary>The element count of <paramref name="shape"/> in 64-bit, saturating at <see cref="long.MaxValue"/>; fails on a negative dim.</summary>
    private long CheckedSize(int[] shape)
    {
        long size = 1;
        foreach (var d in shape)
        {
            if (d < 0)
            {
                throw Fail($"shape [{TensorShape.Format(shape)}] has a negative dimension");
            }

            size = d == 0 ? 0 : size > long.MaxValue / d ? long.MaxValue : size * d;
        }

        return size;
    }

    private OnnxTensor<T> WrongInput<T>(int index)
    {
        var actual = HasInput(index) && _step.Inputs[index] < _state.Slots.Length ? _state.Slots[_step.Inputs[index]] : null;
        throw Fail(actual is null
            ? $"input {index} is missing"
            : $"input {index} is {actual.Type}, expected tensor({ElementTypes.Name(ElementTypes.Of<T>())})");
    }
}

using System.Buffers;
using System.Runtime.CompilerServices;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Execution;

/// <summary>
/// The mutable state of one run: the value slots and the pooled buffers rented for intermediates, all
/// returned when the run ends. Reused across runs of a session (one run at a time per instance).
/// </summary>
internal sealed class RunState
{
    /// <summary>
    /// Buffers larger than this are allocated for the run and left to the collector instead of pooled: the
    /// shared pool keeps what it is given, so one hostile run would otherwise pin its gigabyte for the life
    /// of the process. 4 MiB covers the intermediates of ordinary batches (1000 rows x 1000 floats).
    /// </summary>
    public const int MaxPooledBytes = 4 << 20;

    private readonly List<Array> _rented = [];
    private long _used;

    /// <summary>State for running a compiled plan.</summary>
    public RunState(ExecutionPlan plan, int maxElements)
        : this(plan.SlotCount, plan.SlotIsOutput, plan.Symbols.Length, maxElements, ownAll: false)
    {
    }

    private RunState(int slotCount, bool[] slotIsOutput, int symbolCount, int maxElements, bool ownAll)
    {
        Slots = new OnnxValue?[slotCount];
        Fresh = new OnnxValue?[slotCount];
        SlotIsOutput = slotIsOutput;
        SymbolValues = new int[symbolCount];
        MaxElements = maxElements;
        OwnAll = ownAll;
        Context = new KernelContext(this);
    }

    public OnnxValue?[] Slots { get; }

    /// <summary>Per output slot: the tensor allocated for it (so the caller may own it without a copy).</summary>
    public OnnxValue?[] Fresh { get; }

    public bool[] SlotIsOutput { get; }

    public int[] SymbolValues { get; }

    public KernelContext Context { get; }

    /// <summary>The largest tensor a kernel may allocate (a guard against hostile shapes).</summary>
    public int MaxElements { get; }

    /// <summary>The bytes this run may allocate (set by <see cref="Begin"/>).</summary>
    public long Budget { get; private set; } = long.MaxValue;

    /// <summary>The bytes allocated so far in this run.</summary>
    public long Used => _used;

    /// <summary>Stops the run between nodes and inside long kernels.</summary>
    public CancellationToken Cancellation { get; private set; }

    /// <summary>When set (constant folding), every buffer is owned rather than pooled.</summary>
    public bool OwnAll { get; }

    /// <summary>State for folding constants at compile time: nothing pooled, small tensors only.</summary>
    public static RunState ForFolding(int slotCount, int maxElements, long budget)
    {
        var state = new RunState(slotCount, new bool[slotCount], 0, maxElements, ownAll: true);
        state.Begin(budget, CancellationToken.None);
        return state;
    }

    /// <summary>Starts a run with its budget and cancellation.</summary>
    public void Begin(long budget, CancellationToken cancellation)
    {
        Budget = budget;
        Cancellation = cancellation;
        _used = 0;
    }

    /// <summary>
    /// Counts <paramref name="bytes"/> against the budget; false (and nothing counted) when they do not fit.
    /// Sizes are computed by callers in 64-bit arithmetic; a negative or overflowed size never fits.
    /// </summary>
    public bool TryCharge(long bytes)
    {
        if (bytes < 0 || bytes > Budget - _used)
        {
            return false;
        }

        _used += bytes;
        return true;
    }

    public T[] Rent<T>(int length)
    {
        if (length == 0)
        {
            return [];
        }

        if (OwnAll || !Poolable<T>.Value)
        {
            return new T[length];
        }

        if ((long)length * Unsafe.SizeOf<T>() > MaxPooledBytes)
        {
            return GC.AllocateUninitializedArray<T>(length);
        }

        var array = ArrayPool<T>.Shared.Rent(length);
        _rented.Add(array);
        return array;
    }

    /// <summary>Returns every pooled buffer and clears the slots for the next run.</summary>
    public void Reset()
    {
        foreach (var array in _rented)
        {
            Return(array);
        }

        _rented.Clear();
        _used = 0;
        Cancellation = CancellationToken.None;
        Array.Clear(Slots);
        Array.Clear(Fresh);
        Array.Clear(SymbolValues);
    }

    private static void Return(Array array)
    {
        switch (array)
        {
            case float[] a: ArrayPool<float>.Shared.Return(a); break;
            case double[] a: ArrayPool<double>.Shared.Return(a); break;
            case long[] a: ArrayPool<long>.Shared.Return(a); break;
            case int[] a: ArrayPool<int>.Shared.Return(a); break;
            case bool[] a: ArrayPool<bool>.Shared.Return(a); break;
            case byte[] a: ArrayPool<byte>.Shared.Return(a); break;
            case sbyte[] a: ArrayPool<sbyte>.Shared.Return(a); break;
            case short[] a: ArrayPool<short>.Shared.Return(a); break;
            case ushort[] a: ArrayPool<ushort>.Shared.Return(a); break;
            case uint[] a: ArrayPool<uint>.Shared.Return(a); break;
            case ulong[] a: ArrayPool<ulong>.Shared.Return(a); break;
            case Half[] a: ArrayPool<Half>.Shared.Return(a); break;
            default: break;
        }
    }

    // Strings are references (a pooled array would keep them alive); other types have no pool switch case.
    private static class Poolable<T>
    {
        public static readonly bool Value = typeof(T) != typeof(string) && ElementTypes.Of<T>() != ElementType.Undefined;
    }
}

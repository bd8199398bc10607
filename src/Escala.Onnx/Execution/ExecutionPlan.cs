using Escala.Onnx.Tensors;

namespace Escala.Onnx.Execution;

/// <summary>
/// A compiled graph: steps in topological order over numbered value slots, the constants pre-placed in
/// their slots, and which slots are graph inputs and outputs. Immutable, shared by concurrent runs.
/// </summary>
internal sealed class ExecutionPlan(
    PlanStep[] steps,
    OnnxValue?[] constants,
    PlanInput[] inputs,
    PlanOutput[] outputs,
    bool[] slotIsOutput,
    string[] symbols)
{
    public PlanStep[] Steps { get; } = steps;

    /// <summary>Per slot: the constant value placed there before every run, or null.</summary>
    public OnnxValue?[] Constants { get; } = constants;

    public PlanInput[] Inputs { get; } = inputs;

    public PlanOutput[] Outputs { get; } = outputs;

    /// <summary>Per slot: whether it is a graph output (its buffer is handed to the caller, not pooled).</summary>
    public bool[] SlotIsOutput { get; } = slotIsOutput;

    /// <summary>The symbolic dim names used by the inputs (indexes for <see cref="PlanInput.Dims"/>).</summary>
    public string[] Symbols { get; } = symbols;

    public int SlotCount => Constants.Length;
}

/// <summary>A graph input: its slot, declared type, and per dim a fixed size (&gt;= 0), a symbol (-1 - index) or unknown (int.MinValue).</summary>
internal sealed record PlanInput(string Name, int Slot, OnnxTypeInfo Type, int[]? Dims);

/// <summary>A graph output and the slot holding it.</summary>
internal sealed record PlanOutput(string Name, int Slot, OnnxTypeInfo Type);

namespace Escala.Onnx;

/// <summary>
/// A run would allocate more than its byte budget (<see cref="OnnxSessionOptions.MaxRunBytes"/> or
/// <see cref="OnnxRunOptions.MaxBytes"/>). Raised before the allocation, so nothing was allocated for it;
/// the message names the node, what it needed and the budget, so the caller can send fewer rows.
/// </summary>
public sealed class OnnxBudgetException : OnnxException
{
    /// <summary>A refused allocation in one node.</summary>
    public OnnxBudgetException(string nodeName, string opType, string what, long requestedBytes, long usedBytes, long budgetBytes)
        : base($"Node {(string.IsNullOrEmpty(nodeName) ? "(unnamed)" : $"'{nodeName}'")} (op {opType}) needs {Bytes(requestedBytes)} more for {what}, " +
               $"after {Bytes(usedBytes)} already used, over the run's memory budget of {Bytes(budgetBytes)}; send fewer rows or raise the budget.")
    {
        NodeName = nodeName;
        OpType = opType;
        RequestedBytes = requestedBytes;
        BudgetBytes = budgetBytes;
    }

    /// <summary>The node whose allocation was refused.</summary>
    public string NodeName { get; }

    /// <summary>Its operator.</summary>
    public string OpType { get; }

    /// <summary>The bytes the refused allocation asked for (<see cref="long.MaxValue"/> when the size itself overflowed).</summary>
    public long RequestedBytes { get; }

    /// <summary>The run's budget.</summary>
    public long BudgetBytes { get; }

    /// <summary>A byte count for people: <c>256 MiB</c>, <c>3.5 GiB</c>, <c>812 bytes</c>.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        long.MaxValue => "more than 8 EiB",
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.#} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes} bytes",
    };
}

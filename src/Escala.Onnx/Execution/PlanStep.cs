namespace Escala.Onnx.Execution;

/// <summary>One node of a compiled plan: its kernel and the slots it reads and writes (-1 = omitted).</summary>
internal sealed record PlanStep(IKernel Kernel, int[] Inputs, int[] Outputs, string NodeName, string OpType, string Domain);

using Escala.Onnx.Tensors;

namespace Escala.Onnx.Execution;

/// <summary>Runs a compiled plan on one <see cref="RunState"/>: checks the inputs, runs every step, hands out the outputs.</summary>
internal static class PlanExecutor
{
    public static OnnxValue[] Run(ExecutionPlan plan, RunState state, ReadOnlySpan<OnnxValue?> inputs, long budget, CancellationToken cancellation, long[]? timings = null)
    {
        try
        {
            state.Begin(budget, cancellation);
            Array.Copy(plan.Constants, state.Slots, plan.Constants.Length);
            for (var i = 0; i < plan.Inputs.Length; i++)
            {
                var input = plan.Inputs[i];
                state.Slots[input.Slot] = Validate(plan, state, input, inputs[i]);
            }

            var context = state.Context;
            var steps = plan.Steps;
            for (var i = 0; i < steps.Length; i++)
            {
                var step = steps[i];

                // An abandoned run (its deadline answered from the fallback) stops here rather than run on.
                cancellation.ThrowIfCancellationRequested();
                context.Begin(step);
                var start = timings is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
                try
                {
                    step.Kernel.Run(context);
                    if (timings is not null)
                    {
                        Interlocked.Add(ref timings[i], System.Diagnostics.Stopwatch.GetTimestamp() - start);
                    }
                }
                catch (Exception e) when (e is not OnnxException and not OutOfMemoryException and not OperationCanceledException)
                {
                    throw new OnnxRuntimeException(step.NodeName, step.OpType, e.Message, e);
                }
            }

            return CollectOutputs(plan, state);
        }
        finally
        {
            state.Reset();
        }
    }

    private static OnnxValue[] CollectOutputs(ExecutionPlan plan, RunState state)
    {
        var results = new OnnxValue[plan.Outputs.Length];
        for (var i = 0; i < results.Length; i++)
        {
            var output = plan.Outputs[i];
            var value = state.Slots[output.Slot]
                ?? throw new OnnxRuntimeException(string.Empty, "(graph)", $"output '{output.Name}' was not computed");

            // The caller owns what it gets: anything not allocated for this output (a view, an input,
            // a constant, pooled memory, or the same buffer handed out twice) is copied.
            if (value is OnnxTensor tensor && !ReferenceEquals(state.Fresh[output.Slot], value))
            {
                var bytes = (long)tensor.Length * Math.Max(1, ElementTypes.Size(tensor.ElementType));
                if (!state.TryCharge(bytes))
                {
                    throw new OnnxBudgetException(string.Empty, "(graph)", $"a copy of output '{output.Name}'", bytes, state.Used, state.Budget);
                }

                value = tensor.Clone();
            }
            else
            {
                state.Fresh[output.Slot] = null;
            }

            results[i] = value;
        }

        return results;
    }

    private static OnnxTensor Validate(ExecutionPlan plan, RunState state, PlanInput input, OnnxValue? value)
    {
        if (value is null)
        {
            throw new OnnxInputException(input.Name, $"Input '{input.Name}' is missing; the model expects {input.Type}.");
        }

        if (value is not OnnxTensor tensor)
        {
            throw new OnnxInputException(input.Name, $"Input '{input.Name}' is {value.Type}; the model expects {input.Type}.");
        }

        if (tensor.ElementType != input.Type.ElementType)
        {
            throw new OnnxInputException(
                input.Name,
                $"Input '{input.Name}' has element type {ElementTypes.Name(tensor.ElementType)}; the model expects {ElementTypes.Name(input.Type.ElementType)} ({input.Type}).");
        }

        if (input.Dims is not { } dims)
        {
            return tensor;
        }

        var shape = tensor.Shape;
        if (shape.Length != dims.Length)
        {
            throw new OnnxInputException(
                input.Name,
                $"Input '{input.Name}' has shape [{TensorShape.Format(shape)}] (rank {shape.Length}); the model expects rank {dims.Length} ({input.Type}).");
        }

        for (var d = 0; d < dims.Length; d++)
        {
            var expected = dims[d];
            if (expected >= 0)
            {
                if (shape[d] != expected)
                {
                    throw new OnnxInputException(
                        input.Name,
                        $"Input '{input.Name}' has shape [{TensorShape.Format(shape)}]; dimension {d} must be {expected} ({input.Type}).");
                }
            }
            else if (expected != int.MinValue)
            {
                // A symbol: every input using it must agree within one run.
                var symbol = -1 - expected;
                ref var seen = ref state.SymbolValues[symbol];
                if (seen == 0)
                {
                    seen = shape[d] + 1;
                }
                else if (seen != shape[d] + 1)
                {
                    throw new OnnxInputException(
                        input.Name,
                        $"Input '{input.Name}' has {plan.Symbols[symbol]} = {shape[d]} (dimension {d}) but another input has {plan.Symbols[symbol]} = {seen - 1}.");
                }
            }
        }

        return tensor;
    }
}

using Escala.Onnx.Graph;
using Escala.Onnx.Protobuf;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Execution;

/// <summary>
/// Compiles a model once: checks opsets and operators, numbers every value, orders the nodes (refusing
/// missing values and cycles), binds each node to its kernel with inferred input types, folds nodes whose
/// inputs are all constants, and drops nodes no output depends on.
/// </summary>
internal sealed class PlanCompiler
{
    // Constants folded at compile time stay small: larger results are computed per run instead.
    private const int FoldLimit = 1 << 20;

    // Folded constants live as long as the plan, so their total is bounded too: a tiny file with many
    // ConstantOfShape nodes must not pin hundreds of megabytes per loaded version.
    private const long FoldBudgetBytes = 16L << 20;

    private readonly ModelProto _model;
    private readonly OnnxSessionOptions _options;
    private readonly Dictionary<string, int> _slotOf = new(StringComparer.Ordinal);
    private readonly List<OnnxTypeInfo?> _types = [];
    private readonly List<OnnxValue?> _constants = [];
    private long _foldedBytes;

    private PlanCompiler(ModelProto model, OnnxSessionOptions options)
    {
        _model = model;
        _options = options;
    }

    public static CompiledModel Compile(ModelProto model, OnnxSessionOptions options) => new PlanCompiler(model, options).Compile();

    private CompiledModel Compile()
    {
        var graph = _model.Graph ?? throw new OnnxModelException("The model has no graph.");
        var opsets = OpsetImports.From(_model);
        var operators = ModelReader.Operators(_model, opsets, _options.Registry);
        foreach (var op in operators)
        {
            if (!op.Supported)
            {
                var node = graph.Node.First(n => n.OpType == op.OpType && OpsetDomains.Display(n.Domain) == op.Domain);
                throw OnnxModelException.ForNode(node.Name, node.OpType, node.Domain, op.Opset == 0 ? null : op.Opset, $"not supported: {op.Reason}.");
            }
        }

        AddInitializers(graph);
        var (inputs, inputInfos, symbols) = AddInputs(graph);
        var order = GraphOrder.Sort(graph, (n, reason) => Fail(n, opsets, reason), new HashSet<string>(_slotOf.Keys, StringComparer.Ordinal));

        var fusions = ReluFusions(graph);
        var steps = new List<PlanStep>(order.Length);
        foreach (var index in order)
        {
            var node = graph.Node[index];
            if (fusions.ContainsValue(index))
            {
                continue;
            }

            var step = fusions.TryGetValue(index, out var relu)
                ? Bind(WithOutput(node, graph.Node[relu].Output[0]), opsets, fuseRelu: true)
                : Bind(node, opsets, fuseRelu: false);
            if (!TryFold(step))
            {
                steps.Add(step);
            }
        }

        var (outputs, outputInfos) = AddOutputs(graph);
        var slotIsOutput = new bool[_types.Count];
        foreach (var o in outputs)
        {
            slotIsOutput[o.Slot] = true;
        }

        var plan = new ExecutionPlan([.. Live(steps, outputs)], [.. _constants], inputs, outputs, slotIsOutput, symbols);
        return new CompiledModel(plan, inputInfos, outputInfos, opsets, operators);
    }

    private int NewSlot(string name, OnnxTypeInfo? type, OnnxValue? constant)
    {
        var slot = _types.Count;
        _slotOf[name] = slot;
        _types.Add(type);
        _constants.Add(constant);
        return slot;
    }

    private void AddInitializers(GraphProto graph)
    {
        if (graph.SparseInitializer.Count > 0)
        {
            throw new OnnxModelException("The graph has sparse initializers, which the engine does not support.");
        }

        foreach (var init in graph.Initializer)
        {
            if (init.Name.Length == 0)
            {
                throw new OnnxModelException("The graph has an initializer without a name.");
            }

            if (_slotOf.ContainsKey(init.Name))
            {
                throw new OnnxModelException($"Initializer '{init.Name}' is defined more than once.");
            }

            OnnxTensor tensor;
            try
            {
                tensor = TensorProtoConverter.ToTensor(init);
            }
            catch (OnnxModelException e)
            {
                throw new OnnxModelException($"Initializer '{init.Name}': {e.Message}", e);
            }

            NewSlot(init.Name, OnnxTypeInfo.Tensor(tensor.ElementType, TensorShape.ToDims(tensor.Shape)), tensor);
        }
    }

    private (PlanInput[] Inputs, OnnxValueInfo[] Infos, string[] Symbols) AddInputs(GraphProto graph)
    {
        var initializers = new HashSet<string>(graph.Initializer.Select(i => i.Name), StringComparer.Ordinal);
        var inputs = new List<PlanInput>();
        var symbols = new List<string>();
        foreach (var vi in graph.Input)
        {
            // Older exporters list initializers as inputs too: they are weights, not something callers feed.
            if (initializers.Contains(vi.Name))
            {
                continue;
            }

            if (vi.Name.Length == 0 || _slotOf.ContainsKey(vi.Name))
            {
                throw new OnnxModelException(vi.Name.Length == 0 ? "The graph has an input without a name." : $"Graph input '{vi.Name}' is listed more than once.");
            }

            var type = TypeProtoConverter.ToTypeInfo(vi.Type);
            if (type.Kind != OnnxTypeKind.Tensor)
            {
                throw new OnnxModelException($"Graph input '{vi.Name}' is {type}; the engine accepts tensor inputs only.");
            }

            if (!ElementTypes.IsSupported(type.ElementType))
            {
                throw new OnnxModelException($"Graph input '{vi.Name}' has element type {ElementTypes.Name(type.ElementType)}, which the engine does not support.");
            }

            int[]? dims = null;
            if (type.Shape is { } shape)
            {
                // Callers (and a gateway's warm-up) allocate what an input declares: one row must fit the run's budget.
                var rowBytes = shape.Aggregate((Int128)Math.Max(1, ElementTypes.Size(type.ElementType)), (b, d) => d.Value is { } n ? b * Math.Max(0, n) : b);
                if (rowBytes > _options.MaxRunBytes)
                {
                    throw new OnnxModelException(
                        $"Graph input '{vi.Name}' is {type}: a single row would need {OnnxBudgetException.Bytes(rowBytes > long.MaxValue ? long.MaxValue : (long)rowBytes)}, more than the run's memory budget of {OnnxBudgetException.Bytes(_options.MaxRunBytes)}.");
                }

                dims = new int[shape.Count];
                for (var i = 0; i < dims.Length; i++)
                {
                    if (shape[i].Value is { } v)
                    {
                        dims[i] = v > int.MaxValue ? int.MaxValue : (int)v;
                    }
                    else if (shape[i].Symbol is { } s)
                    {
                        var at = symbols.IndexOf(s);
                        if (at < 0)
                        {
                            at = symbols.Count;
                            symbols.Add(s);
                        }

                        dims[i] = -1 - at;
                    }
                    else
                    {
                        dims[i] = int.MinValue;
                    }
                }
            }

            var slot = NewSlot(vi.Name, type, null);
            inputs.Add(new PlanInput(vi.Name, slot, type, dims));
        }

        return ([.. inputs], [.. inputs.Select(i => new OnnxValueInfo(i.Name, i.Type))], [.. symbols]);
    }

    /// <summary>
    /// Gemm nodes whose output feeds exactly one Relu and nothing else (not a graph output either): the
    /// Gemm kernel applies the Relu as it writes, saving a pass and a buffer. Maps Gemm index to Relu index.
    /// </summary>
    private static Dictionary<int, int> ReluFusions(GraphProto graph)
    {
        var consumers = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Node.Count; i++)
        {
            foreach (var input in graph.Node[i].Input)
            {
                if (input.Length > 0)
                {
                    if (!consumers.TryGetValue(input, out var list))
                    {
                        consumers[input] = list = [];
                    }

                    list.Add(i);
                }
            }
        }

        var outputs = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        var fusions = new Dictionary<int, int>();
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            if (node.OpType != "Gemm" || OpsetDomains.Normalize(node.Domain) != OpsetDomains.Default || node.Output.Count != 1
                || outputs.Contains(node.Output[0]) || !consumers.TryGetValue(node.Output[0], out var users) || users.Count != 1)
            {
                continue;
            }

            var next = graph.Node[users[0]];
            if (next.OpType == "Relu" && OpsetDomains.Normalize(next.Domain) == OpsetDomains.Default
                && next.Input.Count == 1 && next.Output.Count == 1 && next.Output[0].Length > 0)
            {
                fusions[i] = users[0];
            }
        }

        return fusions;
    }

    private static NodeProto WithOutput(NodeProto node, string output)
    {
        var copy = new NodeProto { Name = node.Name, OpType = node.OpType, Domain = node.Domain, DocString = node.DocString };
        copy.Input.AddRange(node.Input);
        copy.Output.Add(output);
        copy.Attribute.AddRange(node.Attribute);
        return copy;
    }

    private PlanStep Bind(NodeProto node, OpsetImports opsets, bool fuseRelu)
    {
        var domain = OpsetDomains.Normalize(node.Domain);
        var opset = (int)opsets.VersionOf(domain)!.Value;
        var lookup = _options.Registry.Resolve(domain, node.OpType, opset);
        var inputSlots = new int[node.Input.Count];
        var inputTypes = new OnnxTypeInfo?[node.Input.Count];
        var inputConstants = new OnnxTensor?[node.Input.Count];
        for (var i = 0; i < inputSlots.Length; i++)
        {
            var slot = node.Input[i].Length == 0 ? -1 : _slotOf[node.Input[i]];
            inputSlots[i] = slot;
            inputTypes[i] = slot < 0 ? null : _types[slot];
            inputConstants[i] = slot < 0 ? null : _constants[slot] as OnnxTensor;
        }

        var build = new KernelBuildContext(node, domain, opset, lookup.SinceVersion, inputTypes, inputConstants, _options.MaxRunBytes) { FuseRelu = fuseRelu };
        IKernel kernel;
        try
        {
            kernel = lookup.Factory!(build);
        }
        catch (Exception e) when (e is not OnnxException and not OutOfMemoryException)
        {
            throw build.Fail(e.Message);
        }

        var outputSlots = new int[node.Output.Count];
        for (var i = 0; i < outputSlots.Length; i++)
        {
            if (node.Output[i].Length == 0)
            {
                outputSlots[i] = -1;
                continue;
            }

            var type = build.OutputType(i) ?? throw build.Fail($"the kernel does not produce output {i} ('{node.Output[i]}')");
            outputSlots[i] = NewSlot(node.Output[i], type, null);
        }

        return new PlanStep(kernel, inputSlots, outputSlots, node.Name, node.OpType, domain);
    }

    /// <summary>Runs a node whose inputs are all constants now, storing its outputs as constants.</summary>
    private bool TryFold(PlanStep step)
    {
        foreach (var slot in step.Inputs)
        {
            if (slot >= 0 && _constants[slot] is null)
            {
                return false;
            }
        }

        // Run on a private slot layout: inputs first, then outputs.
        var inputs = step.Inputs.Length;
        var state = RunState.ForFolding(inputs + step.Outputs.Length, FoldLimit, Math.Min(FoldBudgetBytes, _options.MaxRunBytes) - _foldedBytes);
        var local = new PlanStep(
            step.Kernel,
            [.. step.Inputs.Select((s, i) => s < 0 ? -1 : i)],
            [.. step.Outputs.Select((s, i) => s < 0 ? -1 : inputs + i)],
            step.NodeName,
            step.OpType,
            step.Domain);
        for (var i = 0; i < inputs; i++)
        {
            state.Slots[i] = step.Inputs[i] < 0 ? null : _constants[step.Inputs[i]];
        }

        try
        {
            state.Context.Begin(local);
            step.Kernel.Run(state.Context);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Left to run time, where the same failure is reported against real inputs.
            return false;
        }

        _foldedBytes += state.Used;
        for (var i = 0; i < step.Outputs.Length; i++)
        {
            if (step.Outputs[i] >= 0)
            {
                if (state.Slots[inputs + i] is not { } value)
                {
                    return false;
                }

                _constants[step.Outputs[i]] = value;
                if (value is OnnxTensor t)
                {
                    _types[step.Outputs[i]] = OnnxTypeInfo.Tensor(t.ElementType, TensorShape.ToDims(t.Shape));
                }
            }
        }

        return true;
    }

    private (PlanOutput[] Outputs, OnnxValueInfo[] Infos) AddOutputs(GraphProto graph)
    {
        if (graph.Output.Count == 0)
        {
            throw new OnnxModelException("The graph declares no outputs.");
        }

        var outputs = new List<PlanOutput>();
        foreach (var vi in graph.Output)
        {
            if (!_slotOf.TryGetValue(vi.Name, out var slot))
            {
                throw new OnnxModelException($"Graph output '{vi.Name}' is not produced by any node, input or initializer.");
            }

            var declared = TypeProtoConverter.ToTypeInfo(vi.Type);
            var inferred = _types[slot] ?? OnnxTypeInfo.Unknown;
            if (declared.Kind == OnnxTypeKind.Tensor && inferred.Kind == OnnxTypeKind.Tensor
                && declared.ElementType != ElementType.Undefined && declared.ElementType != inferred.ElementType)
            {
                throw new OnnxModelException(
                    $"Graph output '{vi.Name}' is declared {declared} but the graph computes tensor({ElementTypes.Name(inferred.ElementType)}).");
            }

            var type = declared.Kind == OnnxTypeKind.Unknown ? inferred : declared;
            outputs.Add(new PlanOutput(vi.Name, slot, type));
        }

        return ([.. outputs], [.. outputs.Select(o => new OnnxValueInfo(o.Name, o.Type))]);
    }

    /// <summary>The steps some output depends on, in order.</summary>
    private List<PlanStep> Live(List<PlanStep> steps, PlanOutput[] outputs)
    {
        var needed = new bool[_types.Count];
        foreach (var o in outputs)
        {
            needed[o.Slot] = true;
        }

        var keep = new bool[steps.Count];
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            if (!steps[i].Outputs.Any(s => s >= 0 && needed[s]))
            {
                continue;
            }

            keep[i] = true;
            foreach (var s in steps[i].Inputs)
            {
                if (s >= 0)
                {
                    needed[s] = true;
                }
            }
        }

        return [.. steps.Where((_, i) => keep[i])];
    }

    private static OnnxModelException Fail(NodeProto node, OpsetImports opsets, string reason) =>
        OnnxModelException.ForNode(node.Name, node.OpType, node.Domain, opsets.VersionOf(node.Domain), reason);
}

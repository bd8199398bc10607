using System.Text;
using Escala.Onnx.Protobuf;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Execution;

/// <summary>
/// What a <see cref="KernelFactory"/> sees of one node at compile time: its attributes, the inferred types
/// (and shapes, where known) of its inputs, the values of inputs that are constants, and the opset. The
/// factory declares each output's type here.
/// </summary>
public sealed class KernelBuildContext
{
    private readonly OnnxTypeInfo?[] _inputTypes;
    private readonly OnnxTensor?[] _constants;
    private readonly OnnxTypeInfo?[] _outputTypes;

    internal KernelBuildContext(NodeProto node, string domain, int opset, int sinceVersion, OnnxTypeInfo?[] inputTypes, OnnxTensor?[] constants, long maxRunBytes = long.MaxValue)
    {
        MaxRunBytes = maxRunBytes;
        Node = node;
        Domain = domain;
        Opset = opset;
        SinceVersion = sinceVersion;
        _inputTypes = inputTypes;
        _constants = constants;
        _outputTypes = new OnnxTypeInfo?[node.Output.Count];
    }

    /// <summary>The node as stored.</summary>
    public NodeProto Node { get; }

    /// <summary>The node name (may be empty).</summary>
    public string Name => Node.Name;

    /// <summary>The operator.</summary>
    public string OpType => Node.OpType;

    /// <summary>The normalised domain (empty for the default domain).</summary>
    public string Domain { get; }

    /// <summary>The opset the model imports for this node's domain: use it where the op's semantics changed between versions.</summary>
    public int Opset { get; }

    /// <summary>The since-version of the registration that matched.</summary>
    public int SinceVersion { get; }

    /// <summary>The byte budget of one run (<see cref="OnnxSessionOptions.MaxRunBytes"/>): what one row of anything this node allocates must fit in.</summary>
    public long MaxRunBytes { get; }

    /// <summary>The number of inputs listed on the node (including omitted optional ones).</summary>
    public int InputCount => Node.Input.Count;

    /// <summary>Set by the compiler when the node's only consumer is a Relu it may apply itself (Gemm).</summary>
    internal bool FuseRelu { get; init; }

    /// <summary>The number of outputs listed on the node.</summary>
    public int OutputCount => Node.Output.Count;

    /// <summary>Whether input <paramref name="index"/> is present (listed and not the empty name).</summary>
    public bool HasInput(int index) => index < Node.Input.Count && Node.Input[index].Length > 0;

    /// <summary>Whether output <paramref name="index"/> is wanted (listed and not the empty name).</summary>
    public bool HasOutput(int index) => index < Node.Output.Count && Node.Output[index].Length > 0;

    /// <summary>The inferred type of input <paramref name="index"/>; fails when the input is absent.</summary>
    public OnnxTypeInfo InputType(int index)
    {
        if (!HasInput(index))
        {
            throw Fail($"input {index} is required but missing");
        }

        return _inputTypes[index] ?? OnnxTypeInfo.Unknown;
    }

    /// <summary>The element type of tensor input <paramref name="index"/>; fails when it is not a tensor.</summary>
    public ElementType InputElementType(int index)
    {
        var type = InputType(index);
        if (type.Kind != OnnxTypeKind.Tensor)
        {
            throw Fail($"input {index} ('{Node.Input[index]}') is {type}, not a tensor");
        }

        return type.ElementType;
    }

    /// <summary>The declared or inferred dims of input <paramref name="index"/>, or null when unknown.</summary>
    public IReadOnlyList<OnnxDim>? InputShape(int index) => HasInput(index) ? _inputTypes[index]?.Shape : null;

    /// <summary>The value of input <paramref name="index"/> when it is known at compile time (an initializer or folded constant).</summary>
    public OnnxTensor? ConstantInput(int index) => HasInput(index) ? _constants[index] : null;

    /// <summary>Checks input <paramref name="index"/> has one of the allowed element types and returns it.</summary>
    public ElementType RequireType(int index, ReadOnlySpan<ElementType> allowed)
    {
        var type = InputElementType(index);
        if (!allowed.Contains(type))
        {
            var names = new StringBuilder();
            foreach (var a in allowed)
            {
                names.Append(names.Length == 0 ? string.Empty : ", ").Append(ElementTypes.Name(a));
            }

            throw Fail($"input {index} ('{Node.Input[index]}') has element type {ElementTypes.Name(type)}; supported: {names}");
        }

        return type;
    }

    /// <summary>Checks that inputs <paramref name="first"/> and <paramref name="other"/> have the same element type.</summary>
    public void RequireSameType(int first, int other)
    {
        var a = InputElementType(first);
        var b = InputElementType(other);
        if (a != b)
        {
            throw Fail($"inputs {first} and {other} must have the same element type, got {ElementTypes.Name(a)} and {ElementTypes.Name(b)}");
        }
    }

    /// <summary>
    /// Declares the type of output <paramref name="index"/>. When its dims are known (fixed sizes from attributes
    /// or constants), the output of a single row (symbolic and unknown dims counted as 1) must fit the run's byte
    /// budget, or the model is refused here, before the factory builds anything sized from them.
    /// </summary>
    public void SetOutput(int index, OnnxTypeInfo type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.Kind == OnnxTypeKind.Tensor && type.Shape is { } dims)
        {
            RequireWithinBudget(
                $"output {index}{(HasOutput(index) ? $" ('{Node.Output[index]}')" : string.Empty)} of shape [{string.Join(", ", dims)}]",
                dims.Select(d => d.Value ?? 1), Math.Max(1, ElementTypes.Size(type.ElementType)));
        }

        if (index < _outputTypes.Length)
        {
            _outputTypes[index] = type;
        }
    }

    /// <summary>Declares output <paramref name="index"/> as a tensor of <paramref name="elementType"/> (with dims, when known).</summary>
    public void SetOutput(int index, ElementType elementType, IReadOnlyList<OnnxDim>? shape = null) =>
        SetOutput(index, OnnxTypeInfo.Tensor(elementType, shape));

    /// <summary>
    /// Fails, naming the node, unless <paramref name="dims"/> elements of <paramref name="elementSize"/> bytes fit
    /// the run's byte budget. Factories call it for sizes they derive from attributes or constants (targets,
    /// classes, a shape held in a constant) before allocating or building anything of that size; the product is
    /// computed without overflow.
    /// </summary>
    public void RequireWithinBudget(string what, IEnumerable<long> dims, int elementSize)
    {
        ArgumentNullException.ThrowIfNull(dims);
        var bytes = (Int128)elementSize;
        foreach (var d in dims)
        {
            if (d < 0)
            {
                throw Fail($"{what} has a negative size {d}");
            }

            bytes = bytes * d > long.MaxValue ? long.MaxValue : bytes * d;
        }

        if (bytes > MaxRunBytes)
        {
            throw Fail($"{what} would need {OnnxBudgetException.Bytes((long)bytes)} for a single row, more than the run's memory budget of {OnnxBudgetException.Bytes(MaxRunBytes)}");
        }
    }

    /// <summary>As <see cref="RequireWithinBudget(string, IEnumerable{long}, int)"/> for a count of elements.</summary>
    public void RequireWithinBudget(string what, long elements, int elementSize) => RequireWithinBudget(what, [elements], elementSize);

    /// <summary>Whether the node has the attribute.</summary>
    public bool HasAttribute(string name) => Attribute(name) is not null;

    /// <summary>The attribute as stored, or null.</summary>
    public AttributeProto? Attribute(string name)
    {
        foreach (var a in Node.Attribute)
        {
            if (a.Name == name)
            {
                return a;
            }
        }

        return null;
    }

    /// <summary>An INT attribute, or <paramref name="defaultValue"/> when absent.</summary>
    public long GetInt(string name, long defaultValue) => Attribute(name) is { } a ? Expect(a, AttributeType.Int).I : defaultValue;

    /// <summary>A required INT attribute.</summary>
    public long GetInt(string name) => Expect(Required(name), AttributeType.Int).I;

    /// <summary>A FLOAT attribute, or <paramref name="defaultValue"/> when absent.</summary>
    public float GetFloat(string name, float defaultValue) => Attribute(name) is { } a ? Expect(a, AttributeType.Float).F : defaultValue;

    /// <summary>A required FLOAT attribute.</summary>
    public float GetFloat(string name) => Expect(Required(name), AttributeType.Float).F;

    /// <summary>A STRING attribute (UTF-8), or <paramref name="defaultValue"/> when absent.</summary>
    public string GetString(string name, string defaultValue) =>
        Attribute(name) is { } a ? Encoding.UTF8.GetString(Expect(a, AttributeType.String).S ?? []) : defaultValue;

    /// <summary>A required STRING attribute.</summary>
    public string GetString(string name) => Encoding.UTF8.GetString(Expect(Required(name), AttributeType.String).S ?? []);

    /// <summary>An INTS attribute, or null when absent.</summary>
    public long[]? GetInts(string name) => Attribute(name) is { } a ? [.. Expect(a, AttributeType.Ints).Ints] : null;

    /// <summary>A FLOATS attribute, or null when absent.</summary>
    public float[]? GetFloats(string name) => Attribute(name) is { } a ? [.. Expect(a, AttributeType.Floats).Floats] : null;

    /// <summary>A STRINGS attribute (UTF-8), or null when absent.</summary>
    public string[]? GetStrings(string name) =>
        Attribute(name) is { } a ? Expect(a, AttributeType.Strings).Strings.Select(s => Encoding.UTF8.GetString(s)).ToArray() : null;

    /// <summary>A TENSOR attribute converted to a tensor, or null when absent.</summary>
    public OnnxTensor? GetTensor(string name)
    {
        if (Attribute(name) is not { } a)
        {
            return null;
        }

        try
        {
            return TensorProtoConverter.ToTensor(Expect(a, AttributeType.Tensor).T ?? new TensorProto());
        }
        catch (OnnxModelException e)
        {
            throw Fail($"attribute '{name}': {e.Message}");
        }
    }

    /// <summary>An error naming this node, op, domain and opset, to throw from a factory.</summary>
    public OnnxModelException Fail(string reason) => OnnxModelException.ForNode(Node.Name, Node.OpType, Domain, Opset, reason);

    internal OnnxTypeInfo? OutputType(int index) => _outputTypes[index];

    private AttributeProto Required(string name) => Attribute(name) ?? throw Fail($"required attribute '{name}' is missing");

    private AttributeProto Expect(AttributeProto attribute, AttributeType type)
    {
        // Files from before IR version 2 leave the type unset; trust the field the caller reads.
        var actual = attribute.EffectiveType;
        if (attribute.Type != AttributeType.Undefined && actual != type)
        {
            throw Fail($"attribute '{attribute.Name}' is {actual}, expected {type}");
        }

        return attribute;
    }
}

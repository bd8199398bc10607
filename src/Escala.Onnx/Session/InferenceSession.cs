using Escala.Onnx.Execution;
using Escala.Onnx.Protobuf;
using Escala.Onnx.Tensors;

namespace Escala.Onnx;

/// <summary>
/// A model compiled once into an execution plan and run many times. <see cref="Run(IReadOnlyDictionary{string, OnnxValue})"/>
/// is thread-safe: concurrent calls share the immutable plan and each get their own buffers.
/// </summary>
public sealed class InferenceSession
{
    private readonly ExecutionPlan _plan;
    private readonly int _maxElements;
    private readonly long _maxRunBytes;
    private readonly Dictionary<string, int> _inputIndex;
    private readonly long[]? _timings;
    private long _timedRuns;
    private RunState? _spare;

    private InferenceSession(ModelProto model, CompiledModel compiled, OnnxSessionOptions options)
    {
        _plan = compiled.Plan;
        _maxElements = options.MaxTensorElements;
        _maxRunBytes = options.MaxRunBytes;
        _timings = options.CollectNodeTimings ? new long[_plan.Steps.Length] : null;
        Inputs = compiled.Inputs;
        Outputs = compiled.Outputs;
        Opsets = compiled.Opsets.Versions;
        Operators = compiled.Operators;
        IrVersion = model.IrVersion;
        ProducerName = model.ProducerName;
        ProducerVersion = model.ProducerVersion;
        ModelVersion = model.ModelVersion;
        Metadata = model.MetadataProps.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        _inputIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Inputs.Count; i++)
        {
            _inputIndex[Inputs[i].Name] = i;
        }
    }

    /// <summary>The inputs callers feed, in model order (initializers excluded), with element type and dims (symbols kept).</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    /// <summary>The outputs, in model order.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    /// <summary>Imported opsets: domain (<c>ai.onnx</c> for the default) to version.</summary>
    public IReadOnlyDictionary<string, long> Opsets { get; }

    /// <summary>Every operator the model uses, with node counts (all supported, or the session would not exist).</summary>
    public IReadOnlyList<OnnxOperatorUse> Operators { get; }

    /// <summary>The model's IR version.</summary>
    public long IrVersion { get; }

    /// <summary>The producing tool (e.g. <c>skl2onnx</c>).</summary>
    public string ProducerName { get; }

    /// <summary>The producing tool's version.</summary>
    public string ProducerVersion { get; }

    /// <summary>The model's own version number.</summary>
    public long ModelVersion { get; }

    /// <summary>The model's metadata properties.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>
    /// Time spent in each node over all runs so far, in plan order (folded constants excluded); empty unless
    /// <see cref="OnnxSessionOptions.CollectNodeTimings"/> was set.
    /// </summary>
    public IReadOnlyList<OnnxNodeTiming> NodeTimings
    {
        get
        {
            if (_timings is null)
            {
                return [];
            }

            var runs = Interlocked.Read(ref _timedRuns);
            return [.. _plan.Steps.Select((s, i) => new OnnxNodeTiming(s.NodeName, s.OpType, System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _timings[i])), runs))];
        }
    }

    /// <summary>Starts <see cref="NodeTimings"/> again from zero (e.g. after a warm-up).</summary>
    public void ResetNodeTimings()
    {
        if (_timings is null)
        {
            return;
        }

        for (var i = 0; i < _timings.Length; i++)
        {
            Interlocked.Exchange(ref _timings[i], 0);
        }

        Interlocked.Exchange(ref _timedRuns, 0);
    }

    /// <summary>Loads and compiles a model; throws <see cref="OnnxModelException"/> when it cannot run.</summary>
    public static InferenceSession Load(ReadOnlySpan<byte> model, OnnxSessionOptions? options = null)
    {
        options ??= OnnxSessionOptions.Default;
        var proto = ModelReader.Parse(model);
        return new InferenceSession(proto, PlanCompiler.Compile(proto, options), options);
    }

    /// <summary>Compiles a model built in code (see <see cref="Building.OnnxModelBuilder"/>).</summary>
    public static InferenceSession Load(ModelProto model, OnnxSessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Load(model.ToByteArray(), options);
    }

    /// <summary>Loads and compiles a model file; throws <see cref="OnnxModelException"/> when it cannot run.</summary>
    public static InferenceSession LoadFile(string path, OnnxSessionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxModelException($"Cannot read model file '{path}': {e.Message}", e);
        }

        return Load(bytes, options);
    }

    /// <summary>
    /// Runs the model on inputs given by name; returns every output by name. Throws <see cref="OnnxInputException"/>
    /// for a missing, unknown or mismatched input and <see cref="OnnxRuntimeException"/> when a node fails.
    /// </summary>
    public IReadOnlyDictionary<string, OnnxValue> Run(IReadOnlyDictionary<string, OnnxValue> inputs) => Run(inputs, default);

    /// <summary>
    /// As <see cref="Run(IReadOnlyDictionary{string, OnnxValue})"/>, within <paramref name="options"/>' byte budget and
    /// cancellation: throws <see cref="OnnxBudgetException"/> before an allocation that would exceed the budget and
    /// <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public IReadOnlyDictionary<string, OnnxValue> Run(IReadOnlyDictionary<string, OnnxValue> inputs, OnnxRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var ordered = new OnnxValue?[Inputs.Count];
        foreach (var (name, value) in inputs)
        {
            if (!_inputIndex.TryGetValue(name, out var index))
            {
                throw new OnnxInputException(name, $"The model has no input named '{name}' (inputs: {string.Join(", ", Inputs.Select(i => i.Name))}).");
            }

            ordered[index] = value;
        }

        var results = RunCore(ordered, options);
        var named = new Dictionary<string, OnnxValue>(results.Length, StringComparer.Ordinal);
        for (var i = 0; i < results.Length; i++)
        {
            named[Outputs[i].Name] = results[i];
        }

        return named;
    }

    /// <summary>Runs the model on inputs given in <see cref="Inputs"/> order; returns the outputs in <see cref="Outputs"/> order.</summary>
    public OnnxValue[] Run(params ReadOnlySpan<OnnxValue> inputs) => Run(inputs, default);

    /// <summary>As <see cref="Run(ReadOnlySpan{OnnxValue})"/>, within <paramref name="options"/>' byte budget and cancellation.</summary>
    public OnnxValue[] Run(ReadOnlySpan<OnnxValue> inputs, OnnxRunOptions options)
    {
        if (inputs.Length != Inputs.Count)
        {
            var name = inputs.Length < Inputs.Count ? Inputs[inputs.Length].Name : "(extra)";
            throw new OnnxInputException(name, $"The model takes {Inputs.Count} input(s) ({string.Join(", ", Inputs.Select(i => i.Name))}); {inputs.Length} given.");
        }

        var ordered = new OnnxValue?[inputs.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            ordered[i] = inputs[i];
        }

        return RunCore(ordered, options);
    }

    /// <summary>The model's signature and operators as text, e.g. for logs.</summary>
    public override string ToString() =>
        $"inputs: {string.Join(", ", Inputs)}; outputs: {string.Join(", ", Outputs)}; ops: {string.Join(", ", Operators.Select(o => o.QualifiedName))}";

    /// <summary>The byte budget of a run that sets none (<see cref="OnnxSessionOptions.MaxRunBytes"/>).</summary>
    public long MaxRunBytes => _maxRunBytes;

    private OnnxValue[] RunCore(OnnxValue?[] inputs, OnnxRunOptions options)
    {
        // One spare state is kept for the next call; concurrent calls make their own.
        var state = Interlocked.Exchange(ref _spare, null) ?? new RunState(_plan, _maxElements);
        try
        {
            if (_timings is not null)
            {
                Interlocked.Increment(ref _timedRuns);
            }

            return PlanExecutor.Run(_plan, state, inputs, options.MaxBytes > 0 ? options.MaxBytes : _maxRunBytes, options.CancellationToken, _timings);
        }
        finally
        {
            Volatile.Write(ref _spare, state);
        }
    }
}

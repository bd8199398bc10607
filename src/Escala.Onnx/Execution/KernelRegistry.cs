using System.Collections.Frozen;
using Escala.Onnx.Ml;
using Escala.Onnx.Operators;

namespace Escala.Onnx.Execution;

/// <summary>
/// The operators the engine can run, keyed by (domain, op type, since-version). A node resolves to the
/// registration with the highest since-version not above the opset the model imports for its domain.
/// Built once, then frozen; lookups happen at compile time only, never per run.
/// </summary>
public sealed class KernelRegistry
{
    private static readonly Lazy<KernelRegistry> Built = new(CreateDefault);
    private readonly Dictionary<(string Domain, string OpType), List<(int Since, KernelFactory Factory)>> _building = [];
    private FrozenDictionary<(string Domain, string OpType), (int Since, KernelFactory Factory)[]>? _frozen;

    /// <summary>Every built-in operator: the default domain and ai.onnx.ml.</summary>
    public static KernelRegistry Default => Built.Value;

    /// <summary>Registers <paramref name="factory"/> for <paramref name="opType"/> from opset <paramref name="sinceVersion"/> of <paramref name="domain"/>.</summary>
    public KernelRegistry Add(string domain, string opType, int sinceVersion, KernelFactory factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentOutOfRangeException.ThrowIfLessThan(sinceVersion, 1);
        if (_frozen is not null)
        {
            throw new InvalidOperationException("The registry is frozen; register operators before the first model is compiled.");
        }

        var key = (OpsetDomains.Normalize(domain), opType);
        if (!_building.TryGetValue(key, out var list))
        {
            _building[key] = list = [];
        }

        if (list.Exists(e => e.Since == sinceVersion))
        {
            throw new InvalidOperationException($"{OpsetDomains.Display(domain)}.{opType} is already registered from opset {sinceVersion}.");
        }

        list.Add((sinceVersion, factory));
        return this;
    }

    /// <summary>Freezes the registry for fast, thread-safe lookups.</summary>
    public KernelRegistry Freeze()
    {
        _frozen ??= _building.ToFrozenDictionary(
            kv => kv.Key,
            kv => kv.Value.OrderBy(e => e.Since).ToArray());
        return this;
    }

    /// <summary>
    /// The registration for an op at the model's opset for its domain, or a reason it cannot run
    /// (unknown domain, op not implemented, opset older than the first implemented version, opset newer than known).
    /// </summary>
    public KernelLookup Resolve(string domain, string opType, long opset)
    {
        Freeze();
        domain = OpsetDomains.Normalize(domain);
        var shown = OpsetDomains.Display(domain);
        if (OpsetDomains.MaxKnown(domain) is not { } max)
        {
            return KernelLookup.Missing($"domain '{shown}' is not supported (the engine runs ai.onnx and ai.onnx.ml operators)");
        }

        if (opset > max)
        {
            return KernelLookup.Missing($"the model imports {shown} opset {opset}, newer than the newest the engine knows ({max})");
        }

        if (!_frozen!.TryGetValue((domain, opType), out var versions))
        {
            return KernelLookup.Missing($"operator {opType} of domain {shown} is not implemented");
        }

        for (var i = versions.Length - 1; i >= 0; i--)
        {
            if (versions[i].Since <= opset)
            {
                return KernelLookup.Found(versions[i].Since, versions[i].Factory);
            }
        }

        return KernelLookup.Missing($"{opType} is implemented from {shown} opset {versions[0].Since}; the model imports opset {opset}");
    }

    /// <summary>Every registered (domain, op type, since-versions), for documentation and <c>escala onnx info</c>.</summary>
    public IReadOnlyList<(string Domain, string OpType, int[] SinceVersions)> Operators()
    {
        Freeze();
        return _frozen!
            .Select(kv => (OpsetDomains.Display(kv.Key.Domain), kv.Key.OpType, kv.Value.Select(v => v.Since).ToArray()))
            .OrderBy(o => o.Item1, StringComparer.Ordinal)
            .ThenBy(o => o.OpType, StringComparer.Ordinal)
            .ToList();
    }

    private static KernelRegistry CreateDefault()
    {
        var registry = new KernelRegistry();
        BuiltInOperators.Register(registry);
        MlOperators.Register(registry);
        return registry.Freeze();
    }
}

using Escala.Onnx.Protobuf;

namespace Escala.Onnx.Graph;

/// <summary>The operator-set versions a model imports, one per (normalised) domain.</summary>
public sealed class OpsetImports
{
    private readonly Dictionary<string, long> _versions;

    private OpsetImports(Dictionary<string, long> versions) => _versions = versions;

    /// <summary>Domain (as shown, <c>ai.onnx</c> for the default) to version, in import order.</summary>
    public IReadOnlyDictionary<string, long> Versions =>
        _versions.ToDictionary(kv => OpsetDomains.Display(kv.Key), kv => kv.Value);

    /// <summary>The imported version of <paramref name="domain"/>, or null when the model imports none.</summary>
    public long? VersionOf(string domain) => _versions.TryGetValue(OpsetDomains.Normalize(domain), out var v) ? v : null;

    /// <summary>Reads and checks the imports: each domain once, versions positive.</summary>
    public static OpsetImports From(ModelProto model)
    {
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var import in model.OpsetImport)
        {
            var domain = OpsetDomains.Normalize(import.Domain);
            if (import.Version < 1)
            {
                throw new OnnxModelException($"The model imports {OpsetDomains.Display(domain)} opset {import.Version}; opset versions start at 1.");
            }

            if (!versions.TryAdd(domain, import.Version))
            {
                throw new OnnxModelException($"The model imports {OpsetDomains.Display(domain)} twice (opsets {versions[domain]} and {import.Version}).");
            }
        }

        // IR version 2 and older files carry no imports: they mean default-domain opset 1.
        if (versions.Count == 0 && model.IrVersion is > 0 and < 3)
        {
            versions[OpsetDomains.Default] = 1;
        }

        return new OpsetImports(versions);
    }
}

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

    /// <summary>Reads and checks the imports: each domain at one version (repeats of the same version are one import), versions positive.</summary>
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

            // skl2onnx 1.20 lists the default domain twice at the same version (`ai.onnx` 17 and `` 17): one import,
            // as ONNX Runtime reads it. Two different versions of one domain leave no way to pick, so they are refused.
            if (versions.TryGetValue(domain, out var earlier))
            {
                if (earlier != import.Version)
                {
                    throw new OnnxModelException(
                        $"The model imports {OpsetDomains.Display(domain)} twice with different versions (opsets {earlier} and {import.Version}); a model must import each domain at one version.");
                }

                continue;
            }

            versions.Add(domain, import.Version);
        }

        // IR version 2 and older files carry no imports: they mean default-domain opset 1.
        if (versions.Count == 0 && model.IrVersion is > 0 and < 3)
        {
            versions[OpsetDomains.Default] = 1;
        }

        return new OpsetImports(versions);
    }
}

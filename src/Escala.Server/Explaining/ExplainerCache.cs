using System.Collections.Concurrent;
using System.Globalization;
using Escala.Core.Explanations;
using Escala.Core.Registry;
using Escala.Onnx;
using Escala.Onnx.Explaining;
using Escala.Onnx.Tensors;
using Escala.Server.Monitoring.Baselines;

namespace Escala.Server.Explaining;

/// <summary>An explainer ready for one version: the model's explainer, its background as model inputs, and feature names.</summary>
/// <param name="Explainer">The explainer over the version's artifact.</param>
/// <param name="Background">The background rows as model inputs, or null when the version has none.</param>
/// <param name="FeatureNames">The name of each explained feature (the reference table's column names when it has them).</param>
public sealed record PreparedExplainer(ModelExplainer Explainer, IReadOnlyDictionary<string, OnnxValue>? Background, IReadOnlyList<string>? FeatureNames);

/// <summary>
/// One prepared explainer per served version, built on first use from the version's artifact (the same bytes the
/// gateway serves, re-hashed by the registry) and its stored background; forgotten when the background changes.
/// </summary>
public sealed class ExplainerCache(ModelRegistry registry, IExplanationBackgroundStore backgrounds)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<PreparedExplainer>>> _prepared = new(StringComparer.Ordinal);

    /// <summary>The explainer for <paramref name="model"/> v<paramref name="version"/>, served by <paramref name="session"/>.</summary>
    public async Task<PreparedExplainer> GetAsync(string model, int version, InferenceSession session, CancellationToken cancellationToken)
    {
        var key = Key(model, version);
        var lazy = _prepared.GetOrAdd(key, _ => new Lazy<Task<PreparedExplainer>>(() => PrepareAsync(model, version, session)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _prepared.TryRemove(new KeyValuePair<string, Lazy<Task<PreparedExplainer>>>(key, lazy));
            throw;
        }
    }

    /// <summary>Drops the version's explainer (its background changed).</summary>
    public void Forget(string model, int version) => _prepared.TryRemove(Key(model, version), out _);

    private static string Key(string model, int version) => string.Create(CultureInfo.InvariantCulture, $"{model}|{version}");

    private async Task<PreparedExplainer> PrepareAsync(string model, int version, InferenceSession session)
    {
        var (found, bytes) = await registry.LoadArtifactAsync(model, version.ToString(CultureInfo.InvariantCulture));
        var explainer = ModelExplainer.Create(bytes, session);
        var stored = await backgrounds.FindAsync(model, version);
        if (stored is null || found.Signature is null)
        {
            return new PreparedExplainer(explainer, null, null);
        }

        var (header, rows) = BackgroundSample.Read(stored.Csv);
        var feeds = ReferenceBaselines.Feeds(header, rows, found.Signature, session.Inputs);
        return new PreparedExplainer(explainer, feeds, Names(header, found.Signature, session));
    }

    private static string[]? Names(string[] header, ModelSignature signature, InferenceSession session)
    {
        var layout = Core.Monitoring.Baselines.FeatureLayout.TryCreate(signature, header, out _);
        if (layout is null)
        {
            return null;
        }

        var byInput = layout.Inputs.ToDictionary(i => i.Input, StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var input in session.Inputs)
        {
            if (!byInput.TryGetValue(input.Name, out var columns))
            {
                return null;
            }

            names.AddRange(columns.Features.Select(f => header[f]));
        }

        return [.. names];
    }
}

using System.Collections.Frozen;
using Escala.Core.PredictionLog;
using Escala.Core.Privacy;

namespace Escala.Server.Privacy;

/// <summary>
/// The prediction log's <see cref="IPredictionLogPolicy"/>: an immutable map endpoint -> policy, swapped whole when a
/// policy changes, read without a lock on every logged line. Endpoints without a policy are written as sent.
/// </summary>
public sealed class LogPrivacy(IPrivacyStore store, PrivacyKey key) : IPredictionLogPolicy
{
    private volatile FrozenDictionary<string, PrivacyPolicy> _policies = FrozenDictionary<string, PrivacyPolicy>.Empty;
    private PersonalDataMasker? _masker;

    /// <summary>The masker with the installation's key.</summary>
    public PersonalDataMasker Masker => _masker ??= new PersonalDataMasker(key.Bytes);

    /// <summary>The endpoint's policy, or null.</summary>
    public PrivacyPolicy? For(string endpoint) => _policies.GetValueOrDefault(endpoint);

    /// <inheritdoc/>
    public PredictionRecord Apply(PredictionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _policies.TryGetValue(record.Endpoint, out var policy) ? Masker.Apply(record, policy) : record;
    }

    /// <summary>Reads every policy from the store and swaps the map.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        var all = await store.ListAsync(cancellationToken);
        _policies = all.ToFrozenDictionary(p => p.Endpoint, p => p.Policy, StringComparer.Ordinal);
    }
}

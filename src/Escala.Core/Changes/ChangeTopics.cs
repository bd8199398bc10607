namespace Escala.Core.Changes;

/// <summary>
/// The kinds of shared state that nodes hold in memory and must reload when another node changes it.
/// The key says which one changed (an endpoint's name, a key's id, a model's name).
/// </summary>
public static class ChangeTopics
{
    /// <summary>An endpoint's routing table or settings (key: the endpoint); nodes rebuild its serving snapshot.</summary>
    public const string Endpoint = "endpoint";

    /// <summary>An API key was created or revoked (key: the key id); nodes reload their key ring.</summary>
    public const string Keys = "keys";

    /// <summary>An endpoint's monitoring settings (key: the endpoint); nodes rebuild its monitors.</summary>
    public const string MonitoringSettings = "monitoring-settings";

    /// <summary>A version's baseline (key: <c>model:version</c>); nodes rebuild that version's monitors.</summary>
    public const string Baseline = "baseline";

    /// <summary>Alert rules were added or removed (key: the endpoint or rule id); the alert engine reloads them.</summary>
    public const string AlertRules = "alert-rules";
}

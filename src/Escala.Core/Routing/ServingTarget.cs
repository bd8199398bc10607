using System.Text.Json.Serialization;

namespace Escala.Core.Routing;

/// <summary>
/// Something a routing table can send a request to: a registered model version run by the
/// local engine, or an external Open Inference Protocol v2 server. Its <see cref="Key"/> is
/// what answers report as "the version that served it".
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(LocalModelTarget), "local")]
[JsonDerivedType(typeof(ExternalTarget), "external")]
public abstract record ServingTarget
{
    /// <summary>The stable name of this target inside an endpoint, e.g. <c>credit-risk:3</c>.</summary>
    [JsonIgnore]
    public abstract string Key { get; }
}

/// <summary>A registered model version served by the in-process engine; its key is <c>model:version</c>.</summary>
public sealed record LocalModelTarget : ServingTarget
{
    /// <summary>A local target for version <paramref name="version"/> of <paramref name="model"/>.</summary>
    public LocalModelTarget(string model, int version)
    {
        Model = model;
        Version = version;

        // Made once: the key is read several times per request (routing, monitoring, the log), and get-only
        // properties keep it from going stale under a `with`.
        Key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{model}:{version}");
    }

    /// <summary>The registered model.</summary>
    public string Model { get; }

    /// <summary>The version number.</summary>
    public int Version { get; }

    /// <inheritdoc />
    [JsonIgnore]
    public override string Key { get; }

    /// <summary>Parses <c>MODEL:VERSION</c>; returns null when the text is not in that form.</summary>
    public static LocalModelTarget? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            return null;
        }

        return int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) && version > 0
            ? new LocalModelTarget(text[..colon], version)
            : null;
    }
}

/// <summary>
/// A model served by another process that speaks Open Inference Protocol v2 over HTTP
/// (Triton, KServe, MLServer, another Escala). Its key is the operator's <see cref="Name"/>,
/// which never contains ':' so it cannot collide with a local <c>model:version</c> key.
/// </summary>
/// <param name="Name">The key answers report, e.g. <c>triton-credit</c>.</param>
/// <param name="BaseUrl">The server's root, e.g. <c>http://127.0.0.1:8000</c>.</param>
/// <param name="RemoteModel">The model name on that server (<c>/v2/models/{RemoteModel}/infer</c>).</param>
/// <param name="RemoteVersion">An optional version on that server (<c>/versions/{v}/infer</c>).</param>
public sealed record ExternalTarget(string Name, Uri BaseUrl, string RemoteModel, string? RemoteVersion = null) : ServingTarget
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string Key => Name;
}

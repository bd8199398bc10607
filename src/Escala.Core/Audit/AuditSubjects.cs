using System.Globalization;

namespace Escala.Core.Audit;

/// <summary>The subject strings audit records use, so a prefix (e.g. <c>model/credit-risk</c>) finds everything about one thing.</summary>
public static class AuditSubjects
{
    /// <summary><c>model/{name}</c>.</summary>
    public static string Model(string name) => $"model/{name}";

    /// <summary><c>model/{name}/versions/{version}</c>.</summary>
    public static string Version(string model, int version) =>
        $"model/{model}/versions/{version.ToString(CultureInfo.InvariantCulture)}";

    /// <summary><c>model/{name}/aliases/{alias}</c>.</summary>
    public static string Alias(string model, string alias) => $"model/{model}/aliases/{alias}";

    /// <summary><c>approval/{id}</c>.</summary>
    public static string Approval(long id) => $"approval/{id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary><c>department/{name}</c>.</summary>
    public static string Department(string name) => $"department/{name}";

    /// <summary><c>endpoint/{name}</c>.</summary>
    public static string Endpoint(string name) => $"endpoint/{name}";

    /// <summary>A model's grant to a department.</summary>
    public static string Grant(string model, string department) => $"model/{model}/grants/{department}";

    /// <summary>A host on the outbound allow list.</summary>
    public static string OutboundHost(string host) => $"outbound-host/{host}";

    /// <summary><c>key/{id}</c>.</summary>
    public static string Key(string id) => $"key/{id}";
}

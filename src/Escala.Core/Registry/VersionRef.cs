using System.Globalization;
using Escala.Core.Naming;
using Escala.Core.Problems;

namespace Escala.Core.Registry;

/// <summary>A model version written as <c>model:version</c> (e.g. <c>credit-risk:3</c>).</summary>
public sealed record VersionRef(string Model, int Version)
{
    /// <summary>Parses <c>model:version</c>, or a bare version number of <paramref name="defaultModel"/>.</summary>
    public static VersionRef Parse(string text, string? defaultModel = null)
    {
        var colon = text.LastIndexOf(':');
        var model = colon < 0 ? defaultModel : text[..colon];
        var number = colon < 0 ? text : text[(colon + 1)..];
        if (model is null || !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            throw ProblemTypes.ValidationFailed.With(
                $"'{ResourceName.Printable(text)}' is not a version reference; write MODEL:VERSION, e.g. credit-risk:3.");
        }

        return new VersionRef(ResourceName.Require("model", model), version);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Model}:{Version.ToString(CultureInfo.InvariantCulture)}";
}

using System.Globalization;
using Escala.Core.Routing;
using Escala.Onnx.Tensors;

namespace Escala.Server.Serving;

/// <summary>
/// Whether a shadow can run on copies of its primary's requests: a copy carries the inputs the primary takes, so every
/// input of the shadow must be one of those, with the same element type and values per row. Checked at deploy, so that
/// a shadow that would never run is refused there rather than skipped in silence (skips that still happen, e.g. a records
/// request the shadow cannot decode, are counted).
/// </summary>
public static class ShadowFit
{
    /// <summary>Throws a 422 problem naming the first shadow of <paramref name="snapshot"/> added by this change that cannot run on its primary's requests.</summary>
    public static void Check(ServingSnapshot snapshot, IReadOnlySet<string> added)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(added);
        foreach (var (_, policy) in snapshot.Endpoint.Routing.Scopes())
        {
            if (policy is not ShadowPolicy shadow || !(added.Contains(shadow.Shadow) || added.Contains(shadow.Primary)))
            {
                continue;
            }

            var primary = snapshot.Plan.IndexOf(shadow.Primary);
            var copy = snapshot.Plan.IndexOf(shadow.Shadow);
            if (primary < 0 || copy < 0 || !snapshot.Targets[primary].Backend.IsAvailable || !snapshot.Targets[copy].Backend.IsAvailable)
            {
                continue;
            }

            if (Problem(snapshot.Targets[primary].Backend.Inputs, snapshot.Targets[copy].Backend.Inputs) is { } problem)
            {
                throw Core.Problems.ProblemTypes.ValidationFailed.With(
                    $"The shadow {shadow.Shadow} cannot run on copies of {shadow.Primary}'s requests: {problem} Deploy a shadow that takes the primary's inputs.");
            }
        }
    }

    /// <summary>Why a model taking <paramref name="shadow"/> cannot be fed requests made for <paramref name="primary"/>, or null when it can.</summary>
    public static string? Problem(IReadOnlyList<OnnxValueInfo> primary, IReadOnlyList<OnnxValueInfo> shadow)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(shadow);
        foreach (var input in shadow)
        {
            var match = primary.FirstOrDefault(p => p.Name == input.Name);
            if (match is null)
            {
                return $"it takes the input '{input.Name}', which the primary's requests do not carry (the primary takes {string.Join(", ", primary.Select(p => $"'{p.Name}'"))}).";
            }

            if (match.Type.Kind != input.Type.Kind || match.Type.ElementType != input.Type.ElementType)
            {
                return $"its input '{input.Name}' is {input.Type}, the primary's is {match.Type}.";
            }

            if (RowWidth(match.Type) is { } a && RowWidth(input.Type) is { } b && a != b)
            {
                return string.Create(CultureInfo.InvariantCulture, $"its input '{input.Name}' takes {b} values per row, the primary's takes {a}.");
            }
        }

        return null;
    }

    // Values per row (the product of the dimensions after the first), or null when one of them is not a fixed number.
    private static long? RowWidth(OnnxTypeInfo type)
    {
        if (type.Shape is not { Count: > 0 } shape)
        {
            return null;
        }

        long width = 1;
        for (var i = 1; i < shape.Count; i++)
        {
            if (shape[i].Value is not { } d)
            {
                return null;
            }

            width *= d;
        }

        return width;
    }
}

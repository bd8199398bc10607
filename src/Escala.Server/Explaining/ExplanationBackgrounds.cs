using System.Text;
using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Explanations;

namespace Escala.Server.Explaining;

/// <summary>
/// Keeps a version's explanation background: when a baseline reference table is attached (at registration or
/// later), a seeded sample of its rows (<see cref="BackgroundSample.DefaultRows"/> by default) is stored with the
/// version and the change is audited with the sample's size and hash. The explainer cache forgets the version so the
/// next explanation uses the new sample.
/// </summary>
public sealed class ExplanationBackgrounds(IExplanationBackgroundStore store, ExplainerCache explainers, TimeProvider time)
{
    /// <summary>Samples <paramref name="csv"/> (UTF-8, already checked as the version's baseline) and stores it.</summary>
    public async Task CaptureAsync(Principal caller, string model, int version, ReadOnlyMemory<byte> csv, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var reader = new StreamReader(new MemoryStream(csv.ToArray(), writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        if (BackgroundSample.Take(reader) is not { } sample)
        {
            return;
        }

        var before = await store.FindAsync(model, version, cancellationToken);
        var background = new ExplanationBackground(model, version, sample.Csv, sample.Rows, time.GetUtcNow(), caller.AuditName);
        var audit = AuditEntry.Create(background.CreatedAt, caller, "explanation-background.set", AuditSubjects.Version(model, version), before?.Summary(), background.Summary());
        await store.SetAsync(background, audit, cancellationToken);
        explainers.Forget(model, version);
    }
}

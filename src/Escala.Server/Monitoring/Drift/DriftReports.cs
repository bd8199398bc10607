using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Settings;
using Escala.Core.Monitoring.Windows;
using Escala.Core.Problems;
using Escala.Server.Monitoring.Live;

namespace Escala.Server.Monitoring.Drift;

/// <summary>A drift report of one endpoint and version as the API shows it.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Version">The version whose rows were compared with its baseline.</param>
/// <param name="Window">Which window: <c>latest</c>, <c>current</c> (the open window so far), a report id, or a period such as <c>6h</c>.</param>
/// <param name="Description">The window in words.</param>
/// <param name="WindowIds">The stored windows merged into the report (empty for the open window).</param>
/// <param name="Report">Per feature and for the prediction: every statistic, the method, threshold and verdict, and the histograms.</param>
/// <param name="Policy">The drift policy in force.</param>
/// <param name="Versions">Every version of the endpoint with stored windows or a live monitor.</param>
public sealed record DriftView(
    string Endpoint, string Version, string Window, string Description, IReadOnlyList<long> WindowIds, DriftReport Report, DriftPolicy Policy, IReadOnlyList<string> Versions);

/// <summary>
/// Assembles drift reports on demand: the latest closed window as stored, the open window so far, one stored report,
/// or every window of a period merged (their bounded summaries add up) and judged with the current policy.
/// </summary>
public sealed class DriftReports(IDriftReportStore store, MonitorDirectory monitors, MonitoringConfiguration configuration, TimeProvider time)
{
    /// <summary>The most windows merged into one report.</summary>
    public const int MaxMerged = 5000;

    /// <summary>A report of <paramref name="endpoint"/>'s <paramref name="version"/> (default: the version with the newest window) for <paramref name="window"/>.</summary>
    public async Task<DriftView> GetAsync(string endpoint, string? version, string? window, CancellationToken cancellationToken = default)
    {
        await configuration.RequireEndpointAsync(endpoint, cancellationToken);
        window ??= "latest";
        var settings = await configuration.EffectiveAsync(endpoint, cancellationToken);
        var versions = await VersionsAsync(endpoint, cancellationToken);
        if (version is not null && !versions.Contains(version, StringComparer.Ordinal))
        {
            // Only versions that served are looked at (a monitor is never built for a name a caller made up).
            throw ProblemTypes.NotFound.With(
                $"'{Core.Naming.ResourceName.Printable(version)}' has not served '{endpoint}'; versions with drift data: {(versions.Count == 0 ? "none yet" : string.Join(", ", versions))}.");
        }

        if (window == "current")
        {
            var target = version ?? monitors.All.Where(m => m.Endpoint == endpoint && m.Window is not null)
                .OrderByDescending(m => m.Window!.Peek().Rows).Select(m => m.Target).FirstOrDefault()
                ?? throw ProblemTypes.NotFound.With($"No version of '{endpoint}' has an open drift window: it has served no monitored request since the server started.");
            var monitor = await monitors.GetAsync(endpoint, target, cancellationToken);
            if (monitor.Window is null || monitor.Detector is null)
            {
                throw ProblemTypes.NoBaseline.With(monitor.Unmonitored ?? $"{target} is not monitored.");
            }

            var open = monitor.Window.Peek();
            return new DriftView(endpoint, target, window, $"the open window so far ({open.Rows:N0} rows since {open.Start:u})", [],
                monitor.Detector.Evaluate(open), monitor.Detector.Policy, versions);
        }

        if (window == "latest")
        {
            var latest = (await store.ListAsync(endpoint, version, null, 1, cancellationToken)).FirstOrDefault()
                ?? throw NoWindows(endpoint, version, settings);
            var stored = await store.FindAsync(latest.Id, cancellationToken) ?? throw NoWindows(endpoint, version, settings);
            return View(stored, window, $"the latest closed window (#{stored.Id})", settings, versions);
        }

        if (long.TryParse(window, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            var stored = await store.FindAsync(id, cancellationToken);
            if (stored is null || stored.Endpoint != endpoint)
            {
                throw ProblemTypes.NotFound.With($"'{endpoint}' has no drift report {id}; `escala drift {endpoint} --list` shows them.");
            }

            return View(stored, window, $"window #{stored.Id}", settings, versions);
        }

        var period = WindowSetting.Parse(window) is { Seconds: { } seconds } ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        if (period is null)
        {
            throw ProblemTypes.ValidationFailed.With($"window must be latest, current, a report id, or a period such as 6h, 30m or 7d; got '{Core.Naming.ResourceName.Printable(window)}'.");
        }

        var chosen = version ?? (await store.ListAsync(endpoint, null, time.GetUtcNow() - period.Value, 1, cancellationToken)).FirstOrDefault()?.Target
            ?? throw ProblemTypes.NotFound.With($"No drift window of '{endpoint}' closed in the last {window}.");
        var current = await monitors.GetAsync(endpoint, chosen, cancellationToken);
        if (current.Baseline is null || current.Detector is null)
        {
            throw ProblemTypes.NoBaseline.With(current.Unmonitored ?? $"{chosen} is not monitored.");
        }

        var windows = (await store.WindowsSinceAsync(endpoint, chosen, time.GetUtcNow() - period.Value, MaxMerged, cancellationToken))
            .Where(w => Fits(current.Baseline, w.Window)).ToList();
        if (windows.Count == 0)
        {
            throw ProblemTypes.NotFound.With($"No drift window of '{endpoint}' ({chosen}) over its current baseline closed in the last {window}.");
        }

        var merged = windows.Select(w => w.Window).Aggregate(WindowSnapshot.Merge);
        return new DriftView(endpoint, chosen, window, $"the {windows.Count} window(s) closed in the last {window}, merged ({merged.Rows:N0} rows)",
            [.. windows.Select(w => w.Id)], current.Detector.Evaluate(merged), current.Detector.Policy, versions);
    }

    /// <summary>Summaries of stored windows, newest first.</summary>
    public async Task<IReadOnlyList<DriftReportSummary>> ListAsync(string endpoint, string? version, int limit, CancellationToken cancellationToken = default)
    {
        await configuration.RequireEndpointAsync(endpoint, cancellationToken);
        if (limit is < 1 or > 1000)
        {
            throw ProblemTypes.ValidationFailed.With("limit must be between 1 and 1000.");
        }

        return await store.ListAsync(endpoint, version, null, limit, cancellationToken);
    }

    /// <summary>True when <paramref name="window"/> was counted in <paramref name="baseline"/>'s bins (a replaced baseline has others).</summary>
    public static bool Fits(BaselineProfile baseline, WindowSnapshot window)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(window);
        if (window.Features.Count != baseline.Features.Count || (window.Prediction is null) != (baseline.Prediction is null))
        {
            return false;
        }

        for (var i = 0; i <= baseline.Features.Count; i++)
        {
            var profile = i < baseline.Features.Count ? baseline.Features[i] : baseline.Prediction;
            var column = i < baseline.Features.Count ? window.Features[i] : window.Prediction;
            if (profile is null || column is null)
            {
                continue;
            }

            var slots = profile.Kind == FeatureKind.Numeric ? profile.Numeric!.BinCount : profile.Categorical!.SlotCount;
            if (column.Kind != profile.Kind || column.Counts.Length != slots || column.Name != profile.Name)
            {
                return false;
            }
        }

        return true;
    }

    private async Task<IReadOnlyList<string>> VersionsAsync(string endpoint, CancellationToken cancellationToken)
    {
        var stored = await store.ListAsync(endpoint, null, null, 1000, cancellationToken);
        return [.. stored.Select(s => s.Target).Concat(monitors.All.Where(m => m.Endpoint == endpoint).Select(m => m.Target)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static DriftView View(StoredDriftReport stored, string window, string description, MonitoringSettings settings, IReadOnlyList<string> versions) =>
        new(stored.Endpoint, stored.Target, window, description, [stored.Id], stored.Report, settings.Drift, versions);

    private static ProblemException NoWindows(string endpoint, string? version, MonitoringSettings settings) =>
        ProblemTypes.NotFound.With(
            $"No drift window of '{endpoint}'{(version is null ? "" : $" ({version})")} has closed yet; windows close every {settings.Window}. `--window current` shows the open one.");
}

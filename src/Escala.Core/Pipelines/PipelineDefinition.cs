namespace Escala.Core.Pipelines;

/// <summary>
/// A value in a step's settings as written in YAML: a scalar (text, possibly holding <c>${...}</c> references), a list
/// or a map. <see cref="Line"/> is where it was written, for errors.
/// </summary>
public abstract record SettingValue(int Line);

/// <summary>A scalar setting.</summary>
public sealed record ScalarSetting(string Text, int Line) : SettingValue(Line);

/// <summary>A list setting.</summary>
public sealed record ListSetting(IReadOnlyList<SettingValue> Items, int Line) : SettingValue(Line);

/// <summary>A map setting (keys in written order).</summary>
public sealed record MapSetting(IReadOnlyList<KeyValuePair<string, SettingValue>> Entries, int Line) : SettingValue(Line)
{
    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    public SettingValue? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;
}

/// <summary>One step: its name, type, settings (everything but <c>name</c> and <c>type</c>) and the line it starts on.</summary>
public sealed record StepDefinition(string Name, string Type, MapSetting Settings, int Line);

/// <summary>What starts a pipeline besides a manual run.</summary>
/// <param name="Kind"><c>cron</c>, <c>alert</c> or <c>labels</c>.</param>
/// <param name="Cron">A cron expression (5 fields, UTC) for <c>cron</c>.</param>
/// <param name="Endpoint">The endpoint whose alerts or labels start a run.</param>
/// <param name="Rule">The alert rule (any firing rule of the endpoint when null).</param>
/// <param name="Count">New labels since the last run for <c>labels</c>.</param>
/// <param name="Line">Where it was written.</param>
public sealed record TriggerDefinition(string Kind, string? Cron, string? Endpoint, string? Rule, long? Count, int Line);

/// <summary>
/// A pipeline as applied: its name, parameters with defaults, steps in execution order (every step after the steps it
/// references), triggers, and the cooldown between triggered runs. <see cref="Source"/> is the YAML as written.
/// </summary>
public sealed record PipelineDefinition(
    string Name,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyList<StepDefinition> Steps,
    IReadOnlyList<TriggerDefinition> Triggers,
    TimeSpan Cooldown,
    string Source);

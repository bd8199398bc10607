using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;
using Escala.Core.Naming;
using Escala.Core.Pipelines;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Escala.Training.Pipelines;

/// <summary>A pipeline file that cannot be applied; <see cref="Errors"/> holds every problem found, each with its line.</summary>
public sealed class PipelineDefinitionException(IReadOnlyList<string> errors) : Exception(string.Join("; ", errors))
{
    /// <summary>Every problem, as "line N: reason".</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Reads a pipeline from YAML and checks it before anything is stored: the YAML itself, the step types and their
/// required settings, <c>${...}</c> references (to steps that exist, without cycles, and to declared parameters), cron
/// expressions and trigger settings. Every problem is reported with its line, not only the first.
/// </summary>
public static partial class PipelineYaml
{
    /// <summary>The step types and the settings each requires.</summary>
    public static IReadOnlyDictionary<string, string[]> StepTypes { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["train"] = ["trainer", "data"],
        ["evaluate"] = ["model", "data"],
        ["gate"] = ["evaluation", "rules"],
        ["register"] = ["model", "as"],
        ["canary"] = ["endpoint", "version"],
        ["analyse"] = ["canary"],
        ["promote"] = ["canary"],
    };

    /// <summary>The default time between two triggered runs of one pipeline.</summary>
    public static readonly TimeSpan DefaultCooldown = TimeSpan.FromMinutes(10);

    /// <summary>Parses and checks <paramref name="yaml"/>; throws <see cref="PipelineDefinitionException"/> listing every problem.</summary>
    public static PipelineDefinition Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var errors = new List<string>();
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode map)
            {
                throw new PipelineDefinitionException(["line 1: a pipeline file is one YAML mapping with 'name' and 'steps'"]);
            }

            root = map;
        }
        catch (YamlException e)
        {
            throw new PipelineDefinitionException([$"line {e.Start.Line}: the YAML is malformed ({Short(e)})"]);
        }

        var top = (MapSetting)Convert(root);
        foreach (var key in top.Entries.Select(e => e.Key).Where(k => k is not ("name" or "steps" or "parameters" or "triggers" or "cooldown")))
        {
            errors.Add($"line {top[key]!.Line}: unknown top-level key '{key}'; use name, parameters, steps, triggers, cooldown");
        }

        var name = Scalar(top["name"]);
        if (name is null)
        {
            errors.Add("line 1: the pipeline needs a 'name'");
        }
        else if (ResourceName.Explain(name) is { } why)
        {
            errors.Add($"line {top["name"]!.Line}: the name '{ResourceName.Printable(name)}' is not valid: {why}");
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (top["parameters"] is MapSetting ps)
        {
            foreach (var (key, value) in ps.Entries)
            {
                parameters[key] = Scalar(value) ?? string.Empty;
            }
        }
        else if (top["parameters"] is { } other)
        {
            errors.Add($"line {other.Line}: 'parameters' is a mapping of names to default values");
        }

        var steps = ReadSteps(top["steps"], errors);
        var ordered = Order(steps, parameters, errors);
        var triggers = ReadTriggers(top["triggers"], errors);
        var cooldown = DefaultCooldown;
        if (top["cooldown"] is { } c && !TryDuration(Scalar(c), out cooldown))
        {
            errors.Add($"line {c.Line}: the cooldown '{Scalar(c)}' is not a duration such as 30s, 10m or 2h");
        }

        if (errors.Count > 0)
        {
            throw new PipelineDefinitionException(errors);
        }

        return new PipelineDefinition(name!, parameters, ordered, triggers, cooldown, yaml);
    }

    /// <summary>The <c>${...}</c> references in a setting, as written (e.g. <c>train.model</c>, <c>evaluate</c>, <c>params.min_auc</c>).</summary>
    public static IEnumerable<(string Reference, int Line)> References(SettingValue value) => value switch
    {
        ScalarSetting s => ReferencePattern().Matches(s.Text).Select(m => (m.Groups[1].Value.Trim(), s.Line)),
        ListSetting l => l.Items.SelectMany(References),
        MapSetting m => m.Entries.SelectMany(e => References(e.Value)),
        _ => [],
    };

    /// <summary>Matches one <c>${...}</c> reference.</summary>
    [GeneratedRegex(@"\$\{([^}]*)\}")]
    public static partial Regex ReferencePattern();

    /// <summary>Parses durations such as <c>90s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>.</summary>
    public static bool TryDuration(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrEmpty(text) || text.Length < 2 || !double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0)
        {
            return false;
        }

        duration = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => TimeSpan.MinValue,
        };
        return duration != TimeSpan.MinValue;
    }

    private static List<StepDefinition> ReadSteps(SettingValue? value, List<string> errors)
    {
        var steps = new List<StepDefinition>();
        if (value is not ListSetting list || list.Items.Count == 0)
        {
            errors.Add($"line {value?.Line ?? 1}: the pipeline needs 'steps', a list of at least one step");
            return steps;
        }

        foreach (var item in list.Items)
        {
            if (item is not MapSetting map)
            {
                errors.Add($"line {item.Line}: a step is a mapping with 'name' and 'type'");
                continue;
            }

            var name = Scalar(map["name"]);
            var type = Scalar(map["type"]);
            if (name is null || ResourceName.Explain(name) is not null)
            {
                errors.Add($"line {map.Line}: a step needs a 'name' (letters, digits, '-', '_', '.'), got '{ResourceName.Printable(name)}'");
                continue;
            }

            if (steps.Any(s => s.Name == name))
            {
                errors.Add($"line {map.Line}: two steps are named '{name}'");
                continue;
            }

            if (type is null || !StepTypes.TryGetValue(type, out var required))
            {
                errors.Add($"line {map["type"]?.Line ?? map.Line}: step '{name}' has unknown type '{type}'; the types are {string.Join(", ", StepTypes.Keys)}");
                continue;
            }

            var settings = new MapSetting([.. map.Entries.Where(e => e.Key is not ("name" or "type"))], map.Line);
            if (type == "train" && Scalar(settings["trainer"]) == "command")
            {
                required = ["command", "data"];
            }

            foreach (var missing in required.Where(r => settings[r] is null))
            {
                errors.Add($"line {map.Line}: step '{name}' ({type}) needs '{missing}'");
            }

            CheckStep(name, type, settings, errors);
            steps.Add(new StepDefinition(name, type, settings, map.Line));
        }

        return steps;
    }

    private static void CheckStep(string name, string type, MapSetting settings, List<string> errors)
    {
        switch (type)
        {
            case "train" when Scalar(settings["trainer"]) is { } trainer && trainer != "command":
                if (Trainers.TrainingSpec.ParseTrainer(trainer) is null)
                {
                    errors.Add($"line {settings["trainer"]!.Line}: step '{name}' has unknown trainer '{trainer}'; use lightgbm, fasttree, logistic, linear or command");
                }

                if (settings["label"] is null)
                {
                    errors.Add($"line {settings.Line}: step '{name}' (train) needs 'label', the column to predict");
                }

                if (Scalar(settings["task"]) is { } task && Trainers.TrainingSpec.ParseTask(task) is null && !task.Contains("${", StringComparison.Ordinal))
                {
                    errors.Add($"line {settings["task"]!.Line}: step '{name}' has unknown task '{task}'; use binary, multiclass or regression");
                }

                break;
            case "gate" when settings["rules"] is { } rules:
                if (rules is not ListSetting ruleList)
                {
                    errors.Add($"line {rules.Line}: step '{name}': 'rules' is a list");
                    break;
                }

                foreach (var rule in ruleList.Items)
                {
                    if (GateRuleReader.Explain(rule) is { } why)
                    {
                        errors.Add($"line {rule.Line}: step '{name}': {why}");
                    }
                }

                break;
        }
    }

    private static List<StepDefinition> Order(List<StepDefinition> steps, Dictionary<string, string> parameters, List<string> errors)
    {
        var byName = steps.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var dependencies = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            var needs = new List<string>();
            foreach (var (reference, line) in References(step.Settings))
            {
                var head = reference.Split('.')[0];
                if (head == "params")
                {
                    var parameter = reference.Length > 7 ? reference[7..] : string.Empty;
                    if (!parameters.ContainsKey(parameter))
                    {
                        errors.Add($"line {line}: step '{step.Name}' refers to ${{{reference}}}, but the pipeline declares no parameter '{parameter}' under 'parameters'");
                    }
                }
                else if (head == "run")
                {
                    // ${run.id}, ${run.trigger}: known at run time.
                }
                else if (!byName.ContainsKey(head))
                {
                    errors.Add($"line {line}: step '{step.Name}' refers to ${{{reference}}}, but there is no step '{head}'");
                }
                else if (head == step.Name)
                {
                    errors.Add($"line {line}: step '{step.Name}' refers to itself (${{{reference}}}): a cycle");
                }
                else
                {
                    needs.Add(head);
                }
            }

            dependencies[step.Name] = needs;
        }

        // Depth-first topological order, stable by declaration; a back edge is a cycle.
        var ordered = new List<StepDefinition>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new Stack<string>();
        bool Visit(string name)
        {
            if (state.GetValueOrDefault(name) == 2)
            {
                return true;
            }

            if (state.GetValueOrDefault(name) == 1)
            {
                var cycle = path.Reverse().SkipWhile(n => n != name).Append(name);
                errors.Add($"line {byName[name].Line}: steps {string.Join(" -> ", cycle)} refer to each other in a cycle");
                return false;
            }

            state[name] = 1;
            path.Push(name);
            foreach (var dependency in dependencies[name].Distinct())
            {
                if (!Visit(dependency))
                {
                    return false;
                }
            }

            path.Pop();
            state[name] = 2;
            ordered.Add(byName[name]);
            return true;
        }

        foreach (var step in steps)
        {
            if (!Visit(step.Name))
            {
                break;
            }
        }

        return ordered;
    }

    private static List<TriggerDefinition> ReadTriggers(SettingValue? value, List<string> errors)
    {
        var triggers = new List<TriggerDefinition>();
        if (value is null)
        {
            return triggers;
        }

        if (value is not ListSetting list)
        {
            errors.Add($"line {value.Line}: 'triggers' is a list such as '- cron: \"0 3 * * *\"'");
            return triggers;
        }

        foreach (var item in list.Items)
        {
            if (item is not MapSetting map || map.Entries.Count != 1)
            {
                errors.Add($"line {item.Line}: a trigger is one of 'cron: EXPR', 'alert: {{endpoint, rule}}' or 'labels: {{endpoint, count}}'");
                continue;
            }

            var (kind, setting) = map.Entries[0];
            switch (kind)
            {
                case "cron":
                    var expression = Scalar(setting);
                    try
                    {
                        Cron(expression ?? string.Empty);
                        triggers.Add(new TriggerDefinition("cron", expression, null, null, null, setting.Line));
                    }
                    catch (CronFormatException e)
                    {
                        errors.Add($"line {setting.Line}: the cron expression '{expression}' is not valid ({e.Message.TrimEnd('.')}); use five fields, e.g. \"0 3 * * *\"");
                    }

                    break;
                case "alert" or "labels" when setting is MapSetting options:
                    var endpoint = Scalar(options["endpoint"]);
                    if (endpoint is null)
                    {
                        errors.Add($"line {setting.Line}: a{(kind == "alert" ? "n alert" : " labels")} trigger needs 'endpoint'");
                        break;
                    }

                    long? count = null;
                    if (kind == "labels")
                    {
                        if (!long.TryParse(Scalar(options["count"]), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                        {
                            errors.Add($"line {setting.Line}: a labels trigger needs 'count', a positive whole number of new labels");
                            break;
                        }

                        count = n;
                    }

                    triggers.Add(new TriggerDefinition(kind, null, endpoint, Scalar(options["rule"]), count, setting.Line));
                    break;
                default:
                    errors.Add($"line {setting.Line}: unknown trigger '{kind}'; use cron, alert or labels (with endpoint)");
                    break;
            }
        }

        return triggers;
    }

    private static SettingValue Convert(YamlNode node)
    {
        var line = (int)node.Start.Line;
        return node switch
        {
            YamlScalarNode s => new ScalarSetting(s.Value ?? string.Empty, line),
            YamlSequenceNode seq => new ListSetting([.. seq.Children.Select(Convert)], line),
            YamlMappingNode map => new MapSetting(
                [.. map.Children.Select(p => new KeyValuePair<string, SettingValue>(((YamlScalarNode)p.Key).Value ?? string.Empty, Convert(p.Value)))], line),
            _ => new ScalarSetting(string.Empty, line),
        };
    }

    /// <summary>A cron expression: five fields (minute precision), or six with seconds first.</summary>
    public static CronExpression Cron(string expression) =>
        CronExpression.Parse(expression, expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);

    private static string? Scalar(SettingValue? value) => value is ScalarSetting s ? s.Text : null;

    private static string Short(YamlException e) =>
        (e.InnerException?.Message ?? e.Message).Split(':').Last().Trim();
}

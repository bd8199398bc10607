using Escala.Training.Pipelines;

namespace Escala.Training.Tests.Pipelines;

public sealed class PipelineYamlTests
{
    private const string Valid = """
        name: p
        parameters:
          min_auc: 0.8
        triggers:
          - cron: "0 3 * * *"
          - labels: { endpoint: credit, count: 500 }
        cooldown: 30m
        steps:
          - name: register
            type: register
            model: ${train.model}
            as: m
          - name: train
            type: train
            trainer: logistic
            data: d
            label: y
          - name: gate
            type: gate
            evaluation: ${train}
            rules:
              - metric: auc
                min: ${params.min_auc}
              - metric: auc
                max_drop: 2%
                slice: sex
              - latency_p99_ms: 5
              - data: matches-champion
        """;

    [Fact]
    public void Steps_run_after_the_steps_they_refer_to_and_triggers_are_read()
    {
        var pipeline = PipelineYaml.Parse(Valid);
        Assert.Equal(["train", "register", "gate"], pipeline.Steps.Select(s => s.Name));
        Assert.Equal(TimeSpan.FromMinutes(30), pipeline.Cooldown);
        Assert.Equal(["cron", "labels"], pipeline.Triggers.Select(t => t.Kind));
        Assert.Equal(500, pipeline.Triggers[1].Count);
    }

    [Theory]
    [InlineData("name: p\nsteps:\n  - name: a\n    type: train\n   bad: [\n", "the YAML is malformed")]
    [InlineData("name: p\nsteps:\n  - name: a\n    type: deploy-everything\n", "line 4: step 'a' has unknown type 'deploy-everything'")]
    [InlineData("name: p\nsteps:\n  - name: a\n    type: evaluate\n    model: ${b.model}\n    data: d\n  - name: b\n    type: evaluate\n    model: ${a.model}\n    data: d\n", "refer to each other in a cycle")]
    [InlineData("name: p\nsteps:\n  - name: a\n    type: evaluate\n    model: ${a.model}\n    data: d\n", "line 5: step 'a' refers to itself")]
    [InlineData("name: p\nsteps:\n  - name: a\n    type: evaluate\n    model: ${nothing.model}\n    data: d\n", "line 5: step 'a' refers to ${nothing.model}, but there is no step 'nothing'")]
    [InlineData("name: p\ntriggers:\n  - cron: \"61 * * * *\"\nsteps:\n  - name: a\n    type: evaluate\n    model: x\n    data: d\n", "line 3: the cron expression '61 * * * *' is not valid")]
    [InlineData("name: p\nsteps:\n  - name: a\n    type: train\n    trainer: lightgbm\n    data: d\n", "line 3: step 'a' (train) needs 'label'")]
    [InlineData("name: p\nsteps:\n  - name: g\n    type: gate\n    evaluation: x\n    rules:\n      - metric: accuracy_ish\n        min: 1\n", "line 7: step 'g': unknown metric 'accuracy_ish'")]
    [InlineData("name: p\nsteps:\n  - name: a\n    type: evaluate\n    model: ${params.x}\n    data: d\n", "declares no parameter 'x'")]
    public void Bad_files_are_refused_with_the_line_and_reason(string yaml, string expected)
    {
        var error = Assert.Throws<PipelineDefinitionException>(() => PipelineYaml.Parse(yaml));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var error = Assert.Throws<PipelineDefinitionException>(() => PipelineYaml.Parse("steps:\n  - name: a\n    type: nope\n  - name: b\n    type: register\n"));
        Assert.Equal(4, error.Errors.Count); // no name, an unknown type, register without model, register without as
    }
}

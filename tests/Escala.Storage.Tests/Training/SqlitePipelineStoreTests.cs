using Escala.Core.Audit;
using Escala.Core.Datasets;
using Escala.Core.Pipelines;
using Escala.Storage.Tests.Support;
using Escala.Storage.Training;

namespace Escala.Storage.Tests.Training;

public sealed class SqlitePipelineStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AuditEntry Audit(string action) => new(DateTimeOffset.UnixEpoch, "admin (k)", action, "pipeline/p", null, "{}");

    private static async Task<PipelineRun> QueueAsync(SqlitePipelineStore store, DateTimeOffset at, bool onlyWhenIdle = false) =>
        (await store.EnqueueAsync(new PipelineRun(0, "p", 1, RunStatus.Queued, new RunTrigger("manual", "test", at), new Dictionary<string, string>(),
            RunIdentity.For("p", StorageWorld.Admin), at, null, null, null, null, false), onlyWhenIdle, TimeSpan.FromMinutes(10), _ => Audit("queue"), Ct))!;

    [Fact]
    public async Task Runs_are_claimed_one_per_pipeline_and_interrupted_runs_keep_their_steps_and_audit()
    {
        using var world = new StorageWorld();
        var store = new SqlitePipelineStore(world.Database);
        var saved = await store.SaveAsync(new PipelineRecord("p", 0, "name: p", RunIdentity.For("p", StorageWorld.Admin), world.Clock.GetUtcNow(), "admin"), _ => Audit("apply"), Ct);
        Assert.Equal(1, saved.Revision);
        var first = await QueueAsync(store, world.Clock.GetUtcNow());
        var second = await QueueAsync(store, world.Clock.GetUtcNow());

        // A triggered run is not queued while another is active, nor within the cooldown.
        Assert.Null(await QueueAsync(store, world.Clock.GetUtcNow(), onlyWhenIdle: true));

        var claimed = await store.ClaimNextAsync(world.Clock.GetUtcNow(), Ct);
        Assert.Equal(first.Id, claimed!.Id);
        Assert.Null(await store.ClaimNextAsync(world.Clock.GetUtcNow(), Ct)); // one run per pipeline at a time

        await store.SaveStepAsync(new StepRun(first.Id, "train", "train", 0, StepStatus.Succeeded, null, null, "h1", "{}", "{\"model\":\"x\"}", "log", null, null), Ct);
        await store.SaveStepAsync(new StepRun(first.Id, "register", "register", 1, StepStatus.Running, null, null, "h2", "{}", null, "", null, null), Ct);
        await store.SaveStepAsync(new StepRun(first.Id, "promote", "promote", 2, StepStatus.Pending, null, null, null, null, null, "", null, null), Ct);
        var interrupted = await store.InterruptRunningAsync("the server stopped", world.Clock.GetUtcNow(), _ => Audit("interrupted"), Ct);
        Assert.Equal(first.Id, Assert.Single(interrupted).Id);
        var steps = await store.ListStepsAsync(first.Id, Ct);
        Assert.Equal([StepStatus.Succeeded, StepStatus.Stopped, StepStatus.Skipped], steps.Select(s => s.Status));
        var run = await store.FindRunAsync(first.Id, Ct);
        Assert.Equal((RunStatus.Interrupted, "register"), (run!.Status, run.FailedStep));

        Assert.Equal("h1", (await store.FindReusableStepAsync("p", "train", "h1", Ct))!.InputHash);
        Assert.Null(await store.FindReusableStepAsync("p", "register", "h2", Ct));

        var cancelled = await store.RequestCancelAsync(second.Id, world.Clock.GetUtcNow(), _ => Audit("cancel"), Ct);
        Assert.Equal(RunStatus.Cancelled, cancelled!.Status);
        var actions = (await world.AuditRecordsAsync()).Select(r => r.Action).ToArray();
        Assert.Equal(["apply", "queue", "queue", "interrupted", "cancel"], actions);
    }

    [Fact]
    public async Task Dataset_versions_count_up_per_name_and_keep_their_fingerprint()
    {
        using var world = new StorageWorld();
        var store = new SqliteDatasetStore(world.Database);
        var draft = new DatasetVersion("d", 0, "sha256:" + new string('a', 64), 10, [new DatasetColumn("x", "numeric")], "upload", world.Clock.GetUtcNow(), "admin");
        var v1 = await store.AddAsync(draft, _ => Audit("dataset"), Ct);
        var v2 = await store.AddAsync(draft with { Fingerprint = "sha256:" + new string('b', 64) }, _ => Audit("dataset"), Ct);
        Assert.Equal((1, 2), (v1.Version, v2.Version));
        Assert.Equal(v2.Fingerprint, (await store.FindAsync("d", null, Ct))!.Fingerprint);
        Assert.Equal(v1.Fingerprint, (await store.FindAsync("d", 1, Ct))!.Fingerprint);
        Assert.Null(await store.FindAsync("e", null, Ct));
    }
}

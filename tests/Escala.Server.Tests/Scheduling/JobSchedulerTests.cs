using Escala.Core.Scheduling;
using Escala.Server.Scheduling;
using Escala.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Escala.Server.Tests.Scheduling;

public sealed class JobSchedulerTests
{
    [Fact]
    public async Task A_failing_job_is_logged_and_runs_again_while_the_others_keep_running()
    {
        var failing = new CountingJob("failing", fail: true);
        var healthy = new CountingJob("healthy");
        var scheduler = new JobScheduler([failing, healthy], new SingleNodeLease(), TimeProvider.System, NullLogger<JobScheduler>.Instance);

        await scheduler.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await Poll.UntilAsync(() => failing.Runs >= 3 && healthy.Runs >= 3, TimeSpan.FromSeconds(20));
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Cluster_wide_jobs_run_only_while_the_lease_is_held_and_every_node_jobs_always()
    {
        var lease = new SwitchLease();
        var shared = new CountingJob("shared");
        var local = new CountingJob("local", everyNode: true);
        var scheduler = new JobScheduler([shared, local], lease, TimeProvider.System, NullLogger<JobScheduler>.Instance);
        var ct = TestContext.Current.CancellationToken;

        Assert.False(await scheduler.RunOnceAsync("shared", ct));
        Assert.True(await scheduler.RunOnceAsync("local", ct));
        Assert.Equal((0, 1), (shared.Runs, local.Runs));

        lease.Held = true;
        Assert.True(await scheduler.RunOnceAsync("shared", ct));
        Assert.Equal(1, shared.Runs);
    }

    [Fact]
    public async Task Running_an_unknown_job_names_the_jobs_there_are()
    {
        var scheduler = new JobScheduler([new CountingJob("canary-steps")], new SingleNodeLease(), TimeProvider.System, NullLogger<JobScheduler>.Instance);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => scheduler.RunOnceAsync("nope", TestContext.Current.CancellationToken));
        Assert.Contains("canary-steps", e.Message, StringComparison.Ordinal);
    }

    private sealed class CountingJob(string name, bool fail = false, bool everyNode = false) : IScheduledJob
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public string Name => name;

        public TimeSpan Interval => TimeSpan.FromMilliseconds(20);

        public bool EveryNode => everyNode;

        public Task RunAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            return fail ? throw new InvalidOperationException("boom") : Task.CompletedTask;
        }
    }

    private sealed class SwitchLease : ISchedulerLease
    {
        public bool Held { get; set; }

        public ValueTask<bool> HoldsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Held);
    }
}

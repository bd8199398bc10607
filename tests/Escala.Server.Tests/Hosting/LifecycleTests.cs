using System.Net;
using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Registry;
using Escala.Server.Access;
using Escala.Server.Registry;
using Escala.Testing;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Tests.Hosting;

public sealed class LifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstStart_WritesAnOwnerOnlyAdminKeyFile_AndSaysWhere()
    {
        await using var server = await EscalaTestServer.StartAsync();
        Assert.True(File.Exists(server.BootstrapKeyPath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(server.BootstrapKeyPath));
        }

        var me = await (await server.Admin().GetAsync("api/v1/whoami", Ct)).ReadAsync<WhoAmIResponse>();
        Assert.Equal(("bootstrap-admin", "admin"), (me.Name, me.Role));
        Assert.Contains(server.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(server.BootstrapKeyPath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restart_KeepsEverything_AndTheChainContinues()
    {
        var server = await EscalaTestServer.StartAsync();
        var folder = server.DataDirectory;
        try
        {
            await server.CreateDepartmentAsync("risk", headcount: 120);
            var aliceKey = await server.CreateKeyAsync("alice", Role.Scientist, "risk");
            var bobKey = await server.CreateKeyAsync("bob", Role.Approver, "risk");
            var alice = server.Client(aliceKey);
            var model = TestModels.Logistic(seed: 21);
            await alice.RegisterOkAsync("credit-risk", model);
            (await alice.PostJsonAsync("api/v1/models/credit-risk/versions/1/stage", new StageChangeRequest("staging"))).EnsureSuccessStatusCode();
            var pending = (await (await alice.PostJsonAsync("api/v1/models/credit-risk/versions/1/stage", new StageChangeRequest("production"))).ReadAsync<StageChangeResponse>()).Approval!;
            (await server.Client(bobKey).PostJsonAsync($"api/v1/approvals/{pending.Id}/approve", new DecisionRequest())).EnsureSuccessStatusCode();
            (await alice.PutJsonAsync("api/v1/models/credit-risk/aliases/champion", new SetAliasRequest(1))).EnsureSuccessStatusCode();
            var keyFile = await File.ReadAllTextAsync(server.BootstrapKeyPath, Ct);
            var snapshot = StateSnapshot.Take(folder);
            var head = (await (await server.Admin().GetAsync("api/v1/audit/verify", Ct)).ReadAsync<AuditVerification>()).HeadHash;

            server = await server.RestartAsync();

            Assert.Equal(snapshot, StateSnapshot.Take(folder));
            Assert.Equal(keyFile, await File.ReadAllTextAsync(server.BootstrapKeyPath, Ct));
            var viewer = server.Client(aliceKey);
            var champion = await (await viewer.GetAsync("api/v1/models/credit-risk/versions/champion", Ct)).ReadAsync<VersionResponse>();
            Assert.Equal(Stage.Production, champion.Stage);
            Assert.Equal(model, await (await viewer.GetAsync("api/v1/models/credit-risk/versions/1/artifact", Ct)).Content.ReadAsByteArrayAsync(Ct));
            Assert.Equal(ApprovalStatus.Approved, (await (await viewer.GetAsync($"api/v1/approvals/{pending.Id}", Ct)).ReadAsync<ApprovalRequest>()).Status);
            Assert.Equal(120, (await (await viewer.GetAsync("api/v1/departments/risk", Ct)).ReadAsync<Escala.Core.Departments.Department>()).Headcount);

            // The next change chains onto the last record written before the restart.
            await server.CreateDepartmentAsync("hr");
            var records = await (await server.Admin().GetAsync("api/v1/audit?limit=1000", Ct)).ReadAsync<AuditRecord[]>();
            Assert.Equal(head, records[^1].PreviousHash);
            Assert.True((await (await server.Admin().GetAsync("api/v1/audit/verify", Ct)).ReadAsync<AuditVerification>()).IsIntact);
        }
        finally
        {
            await server.DisposeAsync();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task GracefulShutdown_FinishesAnUploadInFlight_AndKeepsIt()
    {
        var server = await EscalaTestServer.StartAsync();
        var folder = server.DataDirectory;
        try
        {
            var model = TestModels.Logistic(seed: 33);
            var gate = new TaskCompletionSource();
            var body = new SlowContent(Uploads.Form(model), gate.Task);
            var upload = server.Admin().PostAsync("api/v1/models/slow/versions", body, Ct);
            await body.HalfSent;

            // Half sent by the client is not yet half read by the server (a loaded machine may not have parsed the
            // headers): wait until the upload is being staged, so the request is surely in flight when the stop begins.
            var staging = Path.Combine(folder, "artifacts", "tmp");
            await Poll.UntilAsync(() => Directory.Exists(staging) && Directory.EnumerateFiles(staging, "upload.*.partial").Any(),
                TimeSpan.FromSeconds(30), "the server to start staging the upload");

            // Stop while the request is mid-body; the host waits for it instead of cutting it off.
            var stopping = server.StopAsync();
            await Task.Delay(300, Ct);
            Assert.False(stopping.IsCompleted);
            gate.SetResult();
            var response = await upload;
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            await stopping;

            await using var restarted = await EscalaTestServer.StartAsync(folder);
            var version = await (await restarted.Admin().GetAsync("api/v1/models/slow/versions/1", Ct)).ReadAsync<VersionResponse>();
            Assert.Equal(model.Length, version.SizeBytes);
        }
        finally
        {
            await server.DisposeAsync();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>Sends half of a body, signals, waits for the gate, then sends the rest.</summary>
    private sealed class SlowContent : HttpContent
    {
        private readonly TaskCompletionSource _halfSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly HttpContent _inner;
        private readonly Task _gate;

        public SlowContent(HttpContent inner, Task gate)
        {
            _inner = inner;
            _gate = gate;
            Headers.ContentType = inner.Headers.ContentType;
        }

        public Task HalfSent => _halfSent.Task;

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var bytes = await _inner.ReadAsByteArrayAsync();
            var half = bytes.Length / 2;
            await stream.WriteAsync(bytes.AsMemory(0, half));
            await stream.FlushAsync();
            _halfSent.SetResult();
            await _gate;
            await stream.WriteAsync(bytes.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}

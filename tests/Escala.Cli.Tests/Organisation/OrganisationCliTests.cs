using Escala.Cli.Tests.Support;
using Escala.Testing;

namespace Escala.Cli.Tests.Organisation;

/// <summary>The organisation commands against a real server: the happy path prints one sentence, bad input one error line and exit 1.</summary>
public sealed class OrganisationCliTests
{
    private static void AssertFailed(CliResult result, string message)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Use_cases_plans_and_checklists_from_the_command_line_refuse_bad_input_in_one_line()
    {
        await using var server = await EscalaTestServer.StartAsync();
        await server.CreateDepartmentAsync("risk", 4);
        await server.CreateDepartmentAsync("operations", 10);
        Task<CliResult> Run(params string[] args) => EscalaProcess.RunAsync(server.Url, server.AdminKey, args);
        await EscalaProcess.RunOkAsync(server.Url, server.AdminKey, "endpoints", "create", "credit");

        var created = await EscalaProcess.RunOkAsync(server.Url, server.AdminKey,
            "usecases", "create", "credit-decisioning", "--endpoint", "credit", "--department", "risk", "--department", "operations", "--value", "4", "--unit", "minutes saved");
        Assert.Contains("4 minutes saved per prediction", created.Output, StringComparison.Ordinal);
        Assert.Contains("credit-decisioning", (await EscalaProcess.RunOkAsync(server.Url, server.AdminKey, "usecases", "list")).Output, StringComparison.Ordinal);

        AssertFailed(await Run("usecases", "create", "x", "--endpoint", "nowhere", "--value", "1", "--unit", "EUR"), "There is no endpoint 'nowhere'");
        AssertFailed(await Run("usecases", "create", "y", "--endpoint", "credit", "--value", "-1", "--unit", "EUR"), "between 0");
        AssertFailed(await Run("rollouts", "create", "p", "--usecase", "nope", "--endpoint", "credit", "--version", "credit:1", "--wave", "risk"), "There is no use case 'nope'");
        AssertFailed(await Run("costs", "model", "*", "--fixed-monthly", "-5"), "cannot be negative");
        AssertFailed(await Run("adoption", "--by", "team"), "--by must be department or usecase");
    }
}

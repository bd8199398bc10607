using Escala.Cli.Tests.Support;

namespace Escala.Cli.Tests;

/// <summary><c>escala serve --store</c>: a store it cannot use is one clear line on stderr and exit code 1, and no password is echoed.</summary>
public sealed class ServeStoreErrorTests
{
    private static void AssertFailed(CliResult result, string message)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    private static string Folder() => Path.Combine(Path.GetTempPath(), "escala-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task An_unknown_scheme_names_the_two_that_exist() =>
        AssertFailed(await EscalaProcess.RunAsync(null, null, "serve", "--store", "mysql:server=x", "--data", Folder()), "use sqlite:DIR or");

    [Fact]
    public async Task A_postgres_store_without_a_connection_string_says_what_one_looks_like() =>
        AssertFailed(await EscalaProcess.RunAsync(null, null, "serve", "--store", "postgres:", "--data", Folder()), "postgres: needs a connection string");

    [Fact]
    public async Task Two_different_sqlite_folders_are_refused() =>
        AssertFailed(await EscalaProcess.RunAsync(null, null, "serve", "--store", $"sqlite:{Folder()}", "--data", Folder()), "name different folders");

    [Fact]
    public async Task A_postgres_store_needs_a_node_folder() =>
        AssertFailed(await EscalaProcess.RunAsync(null, null, "serve", "--store", "postgres:Host=127.0.0.1;Database=x"), "needs --data DIR too");

    [Fact]
    public async Task An_unreachable_database_is_named_without_its_password()
    {
        var result = await EscalaProcess.RunAsync(null, null, "serve", "--data", Folder(), "--urls", "http://127.0.0.1:0",
            "--store", "postgres:Host=127.0.0.1;Port=9;Database=escala;Username=escala;Password=hunter2;Timeout=3");
        AssertFailed(result, "Cannot use the PostgreSQL store postgres:Host=127.0.0.1;Port=9;Database=escala");
        Assert.DoesNotContain("hunter2", result.Error + result.Output, StringComparison.Ordinal);
    }
}

using System.CommandLine;
using Escala.Cli.Client;
using Escala.Core.Access;
using Escala.Server.Access;
using Spectre.Console;

namespace Escala.Cli.Access;

/// <summary><c>escala keys create|list|revoke|whoami</c>.</summary>
public static class KeysCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var keys = new Command("keys", "API keys: roles (viewer < scientist < approver < operator < admin), scoped to departments.").WithClientOptions();
        keys.Subcommands.Add(CreateKey());
        keys.Subcommands.Add(List());
        keys.Subcommands.Add(Revoke());
        keys.Subcommands.Add(WhoAmI());
        return keys;
    }

    private static Command CreateKey()
    {
        var name = new Argument<string>("name") { Description = "Who or what uses the key, e.g. alice or scoring-app." };
        var role = new Option<string>("--role") { Description = "viewer, scientist, approver, operator or admin.", Required = true };
        role.AcceptOnlyFromAmong("viewer", "scientist", "approver", "operator", "admin");
        var departments = new Option<string[]>("--department") { Description = "A department the key is limited to (repeatable; none = organisation-wide)." };
        var json = ClientOptions.Json;
        var command = new Command("create", "Create an API key; its secret is printed once and never again.") { name, role, departments, json };
        return command.Runs(async (cli, ct) =>
        {
            var created = await cli.Client.PostAsync<CreatedKeyResponse>("api/v1/keys",
                new CreateKeyRequest(cli.Get(name)!, cli.Get(role)!, cli.Get(departments)), ct);
            if (cli.Get(json))
            {
                cli.WriteJson(System.Text.Json.JsonSerializer.SerializeToElement(created, Escala.Server.Hosting.EscalaJson.Options));
                return;
            }

            cli.Line($"Created key {created.Key.Id} for {created.Key.Name} ({created.Key.Role}, {Scope(created.Key.Departments)}).");
            cli.Line("Secret (shown only now; store it safely):");
            cli.Line(created.Secret);
        });
    }

    private static Command List()
    {
        var json = ClientOptions.Json;
        var command = new Command("list", "List API keys (never their secrets).") { json };
        return command.Runs(async (cli, ct) =>
        {
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync("api/v1/keys", ct));
                return;
            }

            var table = new Table().AddColumns("id", "name", "role", "departments", "created", "revoked");
            foreach (var k in await cli.Client.GetAsync<ApiKeyView[]>("api/v1/keys", ct))
            {
                table.AddRow(new Text(k.Id), new Text(k.Name), new Text(k.Role), new Text(Scope(k.Departments)),
                    new Text($"{k.CreatedAt:u} by {k.CreatedBy}"), new Text(k.RevokedAt is { } at ? $"{at:u}" : "-"));
            }

            cli.Console.Write(table);
        });
    }

    private static Command Revoke()
    {
        var id = new Argument<string>("id") { Description = "The key id (see `escala keys list`)." };
        var command = new Command("revoke", "Revoke a key; it stops working at once.") { id };
        return command.Runs(async (cli, ct) =>
        {
            var revoked = await cli.Client.DeleteAsync<ApiKeyView>($"api/v1/keys/{Uri.EscapeDataString(cli.Get(id)!)}", ct);
            cli.Line($"Revoked key {revoked.Id} ({revoked.Name}).");
        });
    }

    private static Command WhoAmI()
    {
        var json = ClientOptions.Json;
        var command = new Command("whoami", "Show the key you are calling with.") { json };
        return command.Runs(async (cli, ct) =>
        {
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync("api/v1/whoami", ct));
                return;
            }

            var me = await cli.Client.GetAsync<WhoAmIResponse>("api/v1/whoami", ct);
            cli.Line($"{me.Name} (key {me.KeyId}): {me.Role}, {Scope(me.Departments)}.");
        });
    }

    private static string Scope(IReadOnlyList<string> departments) =>
        departments.Count == 0 ? "organisation-wide" : "departments " + string.Join(", ", departments);

    /// <summary>The role names, for help text.</summary>
    public static string Roles => string.Join(", ", RoleNames.All.Select(r => r.ToName()));
}

using System.CommandLine;
using System.Globalization;
using Escala.Cli.Client;
using Escala.Core.Departments;
using Escala.Server.Departments;
using Spectre.Console;

namespace Escala.Cli.Departments;

/// <summary><c>escala departments list|show|create|update</c>.</summary>
public static class DepartmentsCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var departments = new Command("departments", "Departments: headcount and local champion; keys and models are scoped to them.").WithClientOptions();
        departments.Subcommands.Add(List());
        departments.Subcommands.Add(Show());
        departments.Subcommands.Add(Change(create: true));
        departments.Subcommands.Add(Change(create: false));
        return departments;
    }

    private static Command List()
    {
        var json = ClientOptions.Json;
        var command = new Command("list", "List departments.") { json };
        return command.Runs(async (cli, ct) =>
        {
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync("api/v1/departments", ct));
                return;
            }

            var table = new Table().AddColumns("department", "name", "headcount", "champion");
            foreach (var d in await cli.Client.GetAsync<Department[]>("api/v1/departments", ct))
            {
                table.AddRow(new Text(d.Name), new Text(d.DisplayName ?? "-"), new Text(d.Headcount.ToString("N0", CultureInfo.InvariantCulture)), new Text(d.Champion ?? "-"));
            }

            cli.Console.Write(table);
        });
    }

    private static Command Show()
    {
        var name = new Argument<string>("name") { Description = "The department." };
        var json = ClientOptions.Json;
        var command = new Command("show", "Show a department.") { name, json };
        return command.Runs(async (cli, ct) =>
        {
            var path = $"api/v1/departments/{Uri.EscapeDataString(cli.Get(name)!)}";
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync(path, ct));
                return;
            }

            var d = await cli.Client.GetAsync<Department>(path, ct);
            cli.Line($"{d.Name} ({d.DisplayName ?? "no display name"}): headcount {d.Headcount:N0}, champion {d.Champion ?? "none"}; created {d.CreatedAt:u}, updated {d.UpdatedAt:u}.");
        });
    }

    private static Command Change(bool create)
    {
        var name = new Argument<string>("name") { Description = "The department's short name, e.g. risk." };
        var display = new Option<string?>("--display-name") { Description = "Its full name, e.g. \"Credit Risk\"." };
        var headcount = new Option<int?>("--headcount") { Description = "How many people work there (adoption depth is measured against it)." };
        var champion = new Option<string?>("--champion") { Description = "The local champion who helps colleagues adopt models." };
        var command = new Command(create ? "create" : "update", create ? "Create a department (admin)." : "Change a department (admin).")
        {
            name, display, headcount, champion,
        };
        return command.Runs(async (cli, ct) =>
        {
            var department = create
                ? await cli.Client.PostAsync<Department>("api/v1/departments",
                    new CreateDepartmentRequest(cli.Get(name)!, cli.Get(display), cli.Get(headcount), cli.Get(champion)), ct)
                : await cli.Client.PatchAsync<Department>($"api/v1/departments/{Uri.EscapeDataString(cli.Get(name)!)}",
                    new UpdateDepartmentRequest(cli.Get(display), cli.Get(headcount), cli.Get(champion)), ct);
            cli.Line($"{(create ? "Created" : "Updated")} department {department.Name}: headcount {department.Headcount:N0}, champion {department.Champion ?? "none"}.");
        });
    }
}

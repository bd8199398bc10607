using System.CommandLine;
using System.Globalization;
using Escala.Cli.Client;
using Escala.Core.UseCases;
using Escala.Server.Organisation;
using Spectre.Console;

namespace Escala.Cli.Organisation;

/// <summary><c>escala usecases create|list|show|update</c>.</summary>
public static class UseCasesCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var group = new Command("usecases", "Use cases: the endpoints that serve a business use of AI, the departments it is for, and what a prediction is worth.").WithClientOptions();
        group.Subcommands.Add(Change(create: true));
        group.Subcommands.Add(List());
        group.Subcommands.Add(Show());
        group.Subcommands.Add(Change(create: false));
        return group;
    }

    private static Command List()
    {
        var json = ClientOptions.Json;
        var command = new Command("list", "List use cases.") { json };
        return command.Runs(async (cli, ct) =>
        {
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync("api/v1/usecases", ct));
                return;
            }

            var table = new Table().AddColumns("use case", "endpoints", "departments", "value per prediction");
            foreach (var u in await cli.Client.GetAsync<UseCase[]>("api/v1/usecases", ct))
            {
                table.AddRow(new Text(u.Name), new Text(string.Join(", ", u.Endpoints)), new Text(u.Departments.IsDefaultOrEmpty ? "all" : string.Join(", ", u.Departments)),
                    new Text($"{u.ValuePerPrediction.ToString(CultureInfo.InvariantCulture)} {u.ValueUnit}"));
            }

            cli.Console.Write(table);
        });
    }

    private static Command Show()
    {
        var name = new Argument<string>("name") { Description = "The use case." };
        var json = ClientOptions.Json;
        var command = new Command("show", "Show a use case.") { name, json };
        return command.Runs(async (cli, ct) =>
        {
            var path = $"api/v1/usecases/{Uri.EscapeDataString(cli.Get(name)!)}";
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync(path, ct));
                return;
            }

            cli.Line(Describe(await cli.Client.GetAsync<UseCase>(path, ct)));
        });
    }

    private static Command Change(bool create)
    {
        var name = new Argument<string>("name") { Description = "The use case's short name, e.g. credit-decisioning." };
        var endpoints = new Option<string[]>("--endpoint") { Description = "An endpoint that serves it (repeat for several).", AllowMultipleArgumentsPerToken = false };
        var departments = new Option<string[]>("--department") { Description = "A department it is meant for (repeat; none = every department)." };
        var value = new Option<decimal?>("--value") { Description = "What one prediction is worth, e.g. 4 or 0.30." };
        var unit = new Option<string?>("--unit") { Description = "The unit of that value, e.g. \"minutes saved\" or EUR." };
        var description = new Option<string?>("--description") { Description = "What it does for whom." };
        var owner = new Option<string?>("--owner") { Description = "The department that owns it." };
        var command = new Command(create ? "create" : "update", create ? "Create a use case (operator)." : "Change a use case (operator).")
        {
            name, endpoints, departments, value, unit, description, owner,
        };
        return command.Runs(async (cli, ct) =>
        {
            var endpointList = cli.Get(endpoints) is { Length: > 0 } e ? e : null;
            var departmentList = cli.Get(departments) is { Length: > 0 } d ? d : null;
            if (create && (endpointList is null || cli.Get(value) is null || cli.Get(unit) is null))
            {
                throw new CliException("usecases create needs --endpoint E, --value AMOUNT and --unit UNIT.");
            }

            var useCase = create
                ? await cli.Client.PostAsync<UseCase>("api/v1/usecases",
                    new CreateUseCaseRequest(cli.Get(name)!, endpointList!, cli.Get(value)!.Value, cli.Get(unit)!, departmentList, cli.Get(description), cli.Get(owner)), ct)
                : await cli.Client.PatchAsync<UseCase>($"api/v1/usecases/{Uri.EscapeDataString(cli.Get(name)!)}",
                    new UpdateUseCaseRequest(endpointList, cli.Get(value), cli.Get(unit), departmentList, cli.Get(description), cli.Get(owner)), ct);
            cli.Line($"{(create ? "Created" : "Updated")} {Describe(useCase)}");
        });
    }

    private static string Describe(UseCase u) =>
        $"use case {u.Name}: served by {string.Join(", ", u.Endpoints)}, for {(u.Departments.IsDefaultOrEmpty ? "every department" : string.Join(", ", u.Departments))}, " +
        $"{u.ValuePerPrediction.ToString(CultureInfo.InvariantCulture)} {u.ValueUnit} per prediction{(u.OwnerDepartment is null ? "" : $", owned by {u.OwnerDepartment}")}.";
}

using System.CommandLine;
using System.Globalization;
using Escala.Cli.Client;
using Escala.Core.Registry;
using Escala.Server.Registry;
using Spectre.Console;

namespace Escala.Cli.Registry;

/// <summary><c>escala approvals list|approve|reject</c>: the four-eyes queue.</summary>
public static class ApprovalsCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var approvals = new Command("approvals", "Four-eyes approval requests for promotions to production.").WithClientOptions();
        approvals.Subcommands.Add(List());
        approvals.Subcommands.Add(Decide("approve", "Approve a pending request (a different key than the requester's) and apply its stage change."));
        approvals.Subcommands.Add(Decide("reject", "Reject a pending request; the version keeps its stage."));
        return approvals;
    }

    private static Command List()
    {
        var status = new Option<string>("--status") { Description = "pending, approved, rejected or all.", DefaultValueFactory = _ => "pending" };
        status.AcceptOnlyFromAmong("pending", "approved", "rejected", "all");
        var model = new Option<string?>("--model") { Description = "Only this model's requests." };
        var json = ClientOptions.Json;
        var command = new Command("list", "List approval requests (pending ones by default).") { status, model, json };
        return command.Runs(async (cli, ct) =>
        {
            var query = new List<string>();
            if (cli.Get(status) is { } s and not "all")
            {
                query.Add($"status={s}");
            }

            if (cli.Get(model) is { } m)
            {
                query.Add($"model={Uri.EscapeDataString(m)}");
            }

            var path = "api/v1/approvals" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync(path, ct));
                return;
            }

            var requests = await cli.Client.GetAsync<ApprovalRequest[]>(path, ct);
            var table = new Table().AddColumns("id", "version", "change", "requested by", "status", "decided by", "comment");
            foreach (var r in requests)
            {
                table.AddRow(
                    Text(r.Id.ToString(CultureInfo.InvariantCulture)), Text($"{r.Model}:{r.Version}"),
                    Text($"{StageTransitions.ToName(r.From)} -> {StageTransitions.ToName(r.To)}"),
                    Text($"{r.RequestedByName} {r.RequestedAt:u}"), Text(r.Status.ToString().ToLowerInvariant()),
                    Text(r.DecidedByName is null ? "-" : $"{r.DecidedByName} {r.DecidedAt:u}"), Text(r.DecisionComment ?? r.Comment ?? "-"));
            }

            cli.Console.Write(table);
        });
    }

    private static Command Decide(string verb, string description)
    {
        var id = new Argument<long>("id") { Description = "The request id (see `escala approvals list`)." };
        var comment = new Option<string?>("--comment") { Description = "Why (kept in the audit log)." };
        var command = new Command(verb, description) { id, comment };
        return command.Runs(async (cli, ct) =>
        {
            var outcome = await cli.Client.PostAsync<ApprovalOutcomeResponse>(
                $"api/v1/approvals/{cli.Get(id).ToString(CultureInfo.InvariantCulture)}/{verb}", new DecisionRequest(cli.Get(comment)), ct);
            var request = outcome.Request;
            cli.Line(outcome.Version is { } version
                ? $"Approved request #{request.Id}: {version.Model} v{version.Version} is now in {StageTransitions.ToName(version.Stage)}."
                : $"Rejected request #{request.Id}: {request.Model} v{request.Version} stays in {StageTransitions.ToName(request.From)}.");
        });
    }

    private static Text Text(string value) => new(value);
}

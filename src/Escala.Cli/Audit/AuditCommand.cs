using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Escala.Cli.Client;
using Escala.Core.Audit;
using Escala.Server.Hosting;
using Escala.Storage;
using Escala.Storage.Audit;
using Escala.Storage.Sqlite;
using Spectre.Console;

namespace Escala.Cli.Audit;

/// <summary><c>escala audit list|verify</c>: read the audit log and check its hash chain.</summary>
public static class AuditCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var audit = new Command("audit", "The append-only, hash-chained audit log of every state change.").WithClientOptions();
        audit.Subcommands.Add(List());
        audit.Subcommands.Add(Verify());
        return audit;
    }

    private static Command List()
    {
        var after = new Option<long>("--after") { Description = "Only records after this sequence number.", DefaultValueFactory = _ => 0 };
        var limit = new Option<int>("--limit") { Description = "At most this many records (1-1000).", DefaultValueFactory = _ => 50 };
        var subject = new Option<string?>("--subject") { Description = "Only subjects starting with this, e.g. model/credit-risk." };
        var json = ClientOptions.Json;
        var command = new Command("list", "List audit records.") { after, limit, subject, json };
        return command.Runs(async (cli, ct) =>
        {
            var path = $"api/v1/audit?after={cli.Get(after).ToString(CultureInfo.InvariantCulture)}&limit={cli.Get(limit).ToString(CultureInfo.InvariantCulture)}"
                + (cli.Get(subject) is { } s ? $"&subject={Uri.EscapeDataString(s)}" : "");
            if (cli.Get(json))
            {
                cli.WriteJson(await cli.Client.GetJsonAsync(path, ct));
                return;
            }

            var table = new Table().AddColumns("seq", "at", "actor", "action", "subject", "hash");
            foreach (var r in await cli.Client.GetAsync<AuditRecord[]>(path, ct))
            {
                table.AddRow(new Text(r.Sequence.ToString(CultureInfo.InvariantCulture)), new Text($"{r.At:u}"), new Text(r.Actor),
                    new Text(r.Action), new Text(r.Subject), new Text(r.Hash[..12]));
            }

            cli.Console.Write(table);
        });
    }

    private static Command Verify()
    {
        var data = new Option<DirectoryInfo?>("--data")
        {
            Description = "Verify the database in this data folder directly (works with the server stopped) instead of asking the server.",
        };
        var json = ClientOptions.Json;
        var command = new Command("verify", "Recompute the audit hash chain; exits non-zero and names the first broken record if it was tampered with.") { data, json };
        return command.Runs(async (cli, ct) =>
        {
            AuditVerification result;
            if (cli.Get(data) is { } folder)
            {
                result = await VerifyFolderAsync(folder.FullName, ct);
            }
            else
            {
                result = await cli.Client.GetAsync<AuditVerification>("api/v1/audit/verify", ct);
            }

            if (cli.Get(json))
            {
                cli.WriteJson(JsonSerializer.SerializeToElement(result, EscalaJson.Options));
            }
            else if (result.IsIntact)
            {
                cli.Line(result.Describe());
            }

            if (!result.IsIntact)
            {
                throw new CliException(result.Describe());
            }
        });
    }

    /// <summary>Verifies the chain in a data folder's database without a server and without changing it.</summary>
    public static async Task<AuditVerification> VerifyFolderAsync(string folder, CancellationToken ct)
    {
        DataFolder existing;
        try
        {
            existing = DataFolder.Existing(folder);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new CliException($"{e.Message} Is --data the folder `escala serve --data` was started with?", e);
        }

        try
        {
            using var database = SqliteDatabase.OpenExisting(existing.DatabasePath);
            var log = new SqliteAuditLog(database);

            // The same checks as the server's: the chain, its end against the signed anchor (when the folder has its key;
            // ESCALA_AUDIT_ANCHOR_KEY points at a key kept elsewhere), and keys, stages and routes against the audit log.
            var keyPath = Environment.GetEnvironmentVariable("ESCALA_AUDIT_ANCHOR_KEY") is { Length: > 0 } elsewhere ? elsewhere : existing.AuditAnchorKeyPath;
            var anchor = FileAuditAnchor.OpenExisting(existing.AuditAnchorPath, keyPath);
            var chain = await AuditChain.VerifyAsync(log.ReadAllAsync(ct), anchor?.Read(), ct);
            ISecurityState[] states =
            [
                new Server.Security.KeyStates(new Storage.Access.SqliteApiKeyStore(database)),
                new Server.Registry.VersionStages(new Storage.Registry.SqliteModelStore(database)),
                new Server.Endpoints.EndpointRoutes(new Storage.Endpoints.SqliteEndpointStore(database)),
            ];
            var findings = new List<string>();
            foreach (var kind in states)
            {
                findings.AddRange(SecurityStateCheck.Compare(kind, await kind.StoredAsync(ct), await log.LatestStatesAsync(kind.SubjectPrefix, kind.Actions, ct)));
            }

            return findings.Count == 0 ? chain : chain with { IsIntact = false, StateFindings = findings };
        }
        catch (Exception e) when (e is InvalidDataException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new CliException($"Cannot read the audit log in {existing.DatabasePath}: {e.Message}", e);
        }
    }
}

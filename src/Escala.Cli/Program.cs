using System.CommandLine;
using Escala.Cli.Access;
using Escala.Cli.Audit;
using Escala.Cli.Batch;
using Escala.Cli.Demo;
using Escala.Cli.Departments;
using Escala.Cli.Endpoints;
using Escala.Cli.Hosting;
using Escala.Cli.Monitoring;
using Escala.Cli.Onnx;
using Escala.Cli.Organisation;
using Escala.Cli.Registry;

// `escala`: each feature folder contributes one top-level command; this file only lists them.
var root = new RootCommand("Escala: take AI models from pilot to production across the organisation.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(ApprovalsCommand.Create());
root.Subcommands.Add(DepartmentsCommand.Create());
root.Subcommands.Add(KeysCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
root.Subcommands.Add(MonitoringCommand.Create());
root.Subcommands.Add(AlertsCommand.Create());
root.Subcommands.Add(DriftCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(OnnxCommand.Create());
root.Subcommands.Add(EndpointsCommand.Create());
root.Subcommands.Add(RolloutCommands.Deploy());
root.Subcommands.Add(RolloutCommands.Promote());
root.Subcommands.Add(RolloutCommands.Rollback());
root.Subcommands.Add(PredictCommand.Create());
root.Subcommands.Add(BatchCommand.Create());
root.Subcommands.Add(UseCasesCommand.Create());
root.Subcommands.Add(RolloutPlansCommand.Create());
root.Subcommands.Add(AdoptionCommands.Adoption());
root.Subcommands.Add(AdoptionCommands.Costs());
root.Subcommands.Add(AdoptionCommands.Satisfaction());
root.Subcommands.Add(AdoptionCommands.Capacity());
root.Subcommands.Add(AdoptionCommands.Report());
root.Subcommands.Add(DemoCommand.Create());

// Ctrl+C cancels the running command; `serve` then shuts down gracefully, so allow it the server's shutdown timeout.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(40) });

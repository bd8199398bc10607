using System.Diagnostics;
using System.Globalization;
using Escala.Core.Access;
using Escala.Core.Adoption;
using Escala.Core.Costs;
using Escala.Core.Departments;
using Escala.Core.Endpoints;
using Escala.Core.UseCases;
using Escala.Server.Organisation;
using Escala.Storage.Departments;
using Escala.Storage.Endpoints;
using Escala.Storage.Organisation;
using Escala.Storage.Sqlite;

// dotnet run -c Release --project bench/Escala.Organisation.Bench -- [repeats]
// Fills a fresh SQLite database with 12 weeks of usage: 50 departments, 20 use cases (one endpoint each), 10,000,000
// predictions in pre-aggregated daily rows and the pseudonymous users of each day, then times the adoption report and
// the cost report as the API computes them (same services, same queries).
Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
var repeats = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var r) ? r : 20;
const int Departments = 50, UseCases = 20, Days = 84;
const long Predictions = 10_000_000;
var folder = Path.Combine(Path.GetTempPath(), "escala-org-bench", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
var time = TimeProvider.System;
using var database = SqliteDatabase.Open(Path.Combine(folder, "escala.db"));
var departments = new SqliteDepartmentStore(database);
var endpoints = new SqliteEndpointStore(database);
var useCases = new SqliteUseCaseStore(database);
var usage = new SqliteUsageStore(database);
var admin = Principal.System;
var directory = new DepartmentDirectory(departments, time);
var endpointCatalog = new EndpointCatalog(endpoints, departments, time);
var useCaseCatalog = new UseCaseCatalog(useCases, endpoints, departments, time);
var random = new Random(42);

var setup = Stopwatch.StartNew();
var headcounts = new int[Departments];
for (var d = 0; d < Departments; d++)
{
    headcounts[d] = random.Next(200, 2000);
    await directory.CreateAsync(admin, $"dept-{d:00}", new DepartmentChange(null, headcounts[d], null));
}

for (var u = 0; u < UseCases; u++)
{
    await endpointCatalog.CreateAsync(admin, new EndpointDraft($"endpoint-{u:00}"));
    await useCaseCatalog.CreateAsync(admin, $"usecase-{u:00}", new UseCaseChange(Endpoints: [$"endpoint-{u:00}"], ValuePerPrediction: 0.25m + u, ValueUnit: u % 2 == 0 ? "EUR" : "minutes saved"));
}

// Predictions: 10 M spread over days x departments x use cases with random weights, in whole numbers that sum exactly.
var today = UsageDay.Of(time.GetUtcNow());
var cells = new List<(int Day, int Department, int UseCase, double Weight)>();
for (var day = today - Days + 1; day <= today; day++)
{
    for (var d = 0; d < Departments; d++)
    {
        for (var u = 0; u < UseCases; u++)
        {
            cells.Add((day, d, u, random.NextDouble()));
        }
    }
}

var total = cells.Sum(c => c.Weight);
long assigned = 0;
var counts = new List<UsageCount>(cells.Count);
for (var i = 0; i < cells.Count; i++)
{
    var n = i == cells.Count - 1 ? Predictions - assigned : (long)(cells[i].Weight / total * Predictions);
    assigned += n;
    counts.Add(new UsageCount(cells[i].Day, $"dept-{cells[i].Department:00}", $"endpoint-{cells[i].UseCase:00}", $"model-{cells[i].UseCase:00}:1", n, n / 200));
}

// Users: each department has a pool of 30 % of its headcount; each is active in 90 % of the weeks, on one to three use
// cases. The store keeps a user's last active day (per department and per endpoint) and the weeks they were active, so
// one activity per user and week, on the week's last working day, fills the tables exactly as daily traffic would.
long userRows = 0;
foreach (var chunk in counts.Chunk(20_000))
{
    await usage.AddAsync(chunk, []);
}

for (var d = 0; d < Departments; d++)
{
    var users = new List<UserActivity>();
    var pool = headcounts[d] * 3 / 10;
    for (var user = 0; user < pool; user++)
    {
        var key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(d * 100_000 + user)));
        var used = Enumerable.Range(0, random.Next(1, 4)).Select(_ => $"endpoint-{random.Next(UseCases):00}").Distinct().ToArray();
        for (var week = UsageDay.WeekOf(today - Days + 1); week <= UsageDay.WeekOf(today); week++)
        {
            if (random.NextDouble() < 0.9)
            {
                var day = Math.Min(today, UsageDay.WeekStart(week) + random.Next(0, 5));
                foreach (var endpoint in used)
                {
                    users.Add(new UserActivity(day, $"dept-{d:00}", endpoint, key));
                }
            }
        }
    }

    userRows += users.Count;
    await usage.AddAsync([], users);
}

setup.Stop();
var tally = new UsageTally(usage, Microsoft.Extensions.Options.Options.Create(new Escala.Server.Monitoring.MonitoringOptions()), time);
var adoption = new AdoptionReport(usage, tally, directory, useCaseCatalog, time);
var costStore = new SqliteCostStore(database);
var costCatalog = new CostCatalog(costStore, useCases, departments, time);
await costCatalog.SetModelAsync(admin, new CostModel(CostModel.Installation, "EUR", 0.6m, 4, 5000m, 0.05m));
for (var u = 0; u < 5; u++)
{
    await costCatalog.SetModelAsync(admin, new CostModel($"usecase-{u:00}", "EUR", 0.6m, 1, 300m, 0.2m));
}

var costs = new CostReport(usage, tally, costCatalog, useCaseCatalog, directory, new SqliteRolloutStore(database), endpointCatalog, new SqliteCapacityStore(database), time);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"data: {Departments} departments, {UseCases} use cases, {counts.Sum(c => c.Predictions):N0} predictions in {counts.Count:N0} daily rows, {userRows:N0} user activities; set up in {setup.Elapsed.TotalSeconds:0.0} s"));

var view = await adoption.GetAsync(12);
var cost = await costs.GetAsync();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"check: breadth {view.Breadth.ActiveDepartments}/{view.Breadth.Departments}, diversity {view.Diversity}, predictions {view.UseCases.Sum(u => u.Predictions):N0}; cost {cost.ProjectedMonthlyTotal:N2} EUR = chargeback {cost.Departments.Sum(d => d.ProjectedMonthlyCharge):N2}"));
Time("adoption report (12 weeks, depth 7/28 d, weekly trend)", () => adoption.GetAsync(12));
Time("  of which: predictions per department and endpoint", () => usage.WeekTotalsAsync(UsageDay.WeekOf(today) - 12, UsageDay.WeekOf(today)));
Time("  of which: users per department and endpoint", () => usage.ActiveUsersAsync(today - 7 * 13));
Time("  of which: users per department, 28 days", () => usage.ActiveUsersByDepartmentAsync(today - 27));
Time("  of which: weekly users and predictions", () => usage.WeeklyAsync(today - 7 * 13, today));
Time("cost report (month to date, 6 pools, chargeback)", () => costs.GetAsync());
Directory.Delete(folder, recursive: true);
return 0;

void Time<T>(string name, Func<Task<T>> run)
{
    var samples = new List<double>();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    for (var i = 0; i < repeats; i++)
    {
        var watch = Stopwatch.StartNew();
        run().GetAwaiter().GetResult();
        samples.Add(watch.Elapsed.TotalMilliseconds);
    }

    var cpuPerRun = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / repeats;
    samples.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}: median {samples[samples.Count / 2]:0.0} ms, min {samples[0]:0.0} ms, max {samples[^1]:0.0} ms, CPU {cpuPerRun:0.0} ms per run, over {repeats} runs"));
}

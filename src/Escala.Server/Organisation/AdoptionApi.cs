using Escala.Core.Access;
using Escala.Core.Costs;
using Escala.Core.Monitoring.Settings;
using Escala.Core.Problems;
using Escala.Core.Reporting;
using Escala.Core.Satisfaction;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Organisation;

/// <summary>A cost model as sent (scope from the route).</summary>
public sealed record CostModelRequest(string Currency = "EUR", decimal NodeCostPerHour = 0, int Nodes = 0, decimal FixedMonthly = 0, decimal PricePer1000 = 0);

/// <summary>A department's monthly budget.</summary>
public sealed record BudgetRequest(decimal Monthly);

/// <summary>A capacity test to run.</summary>
public sealed record CapacityRequest(int MaxConcurrency = 8, string Duration = "5s", string? Version = null);

/// <summary>Adoption, cost, satisfaction and capacity over HTTP.</summary>
public static class AdoptionApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapAdoption(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/adoption", async (AdoptionReport report, int? weeks, CancellationToken ct) => TypedResults.Ok(await report.GetAsync(weeks ?? 12, ct)))
            .RequireRole(Role.Viewer).WithTags("Organisation").WithName("GetAdoption")
            .WithSummary("Breadth, depth (7/28 days), diversity, impact and sustainability (Mann-Kendall) from the durable usage counters.");
        app.MapGet("/api/v1/costs", async (CostReport report, CancellationToken ct) => TypedResults.Ok(await report.GetAsync(ct)))
            .RequireRole(Role.Viewer).WithTags("Organisation").WithName("GetCosts")
            .WithSummary("This month's cost projected to 30 days, chargeback per department (sums exactly), budgets, CPU cost per version, plan projections.");
        app.MapGet("/api/v1/costs/models", async (CostCatalog costs, CancellationToken ct) => TypedResults.Ok((await costs.ModelsAsync(ct)).ToArray()))
            .RequireRole(Role.Viewer).WithTags("Organisation").WithName("ListCostModels").WithSummary("Every cost model.");
        app.MapPut("/api/v1/costs/models/{scope}", SetModel).RequireRole(Role.Admin).WithTags("Organisation").WithName("SetCostModel")
            .WithSummary("Sets the cost model of the installation (*) or of a use case.");
        app.MapPut("/api/v1/costs/budgets/{department}", SetBudget).RequireRole(Role.Admin).WithTags("Organisation").WithName("SetBudget")
            .WithSummary("Sets a department's monthly budget.");
        app.MapPost("/v1/endpoints/{endpoint}/satisfaction", Rate).RequireRole(Role.Viewer).WithTags("Organisation").WithName("RateEndpoint")
            .WithSummary("A user's rating (1-5 or thumbs up/down) of an endpoint's answers, optionally of one request.");
        app.MapGet("/api/v1/endpoints/{endpoint}/satisfaction", Satisfaction).RequireRole(Role.Viewer).WithTags("Organisation").WithName("GetSatisfaction")
            .WithSummary("Ratings per department and version, and per week.");
        app.MapPost("/api/v1/endpoints/{endpoint}/capacity", Capacity).RequireRole(Role.Operator).WithTags("Organisation").WithName("RunCapacityTest")
            .WithSummary("Runs a bounded load test at rising concurrency, fits the Universal Scalability Law and stores the result with the version.");
        app.MapGet("/api/v1/report", async (ExecutiveReports reports, int? weeks, CancellationToken ct) => TypedResults.Ok(await reports.GetAsync(weeks ?? 12, ct)))
            .RequireRole(Role.Viewer).WithTags("Organisation").WithName("GetExecutiveReport")
            .WithSummary("The executive report: waves and gates, adoption, impact, cost and projection, satisfaction, incidents and uptime.");
        app.MapGet("/api/v1/report/html", ReportHtml).RequireRole(Role.Viewer).WithTags("Organisation").WithName("GetExecutiveReportHtml")
            .WithSummary("The executive report as a standalone, printable HTML page with inline SVG charts; ?sections= limits it.");
        return app;
    }

    private static async Task<ContentHttpResult> ReportHtml(ExecutiveReports reports, int? weeks, string? sections, CancellationToken ct)
    {
        var chosen = sections?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = chosen?.FirstOrDefault(s => !ExecutiveReportPage.Sections.Contains(s));
        if (unknown is not null)
        {
            throw ProblemTypes.ValidationFailed.With($"There is no report section '{Core.Naming.ResourceName.Printable(unknown)}'; the sections are {string.Join(", ", ExecutiveReportPage.Sections)}.");
        }

        return TypedResults.Content(ExecutiveReportPage.Render(await reports.GetAsync(weeks ?? 12, ct), chosen), "text/html; charset=utf-8");
    }

    private static async Task<Ok<CostModel>> SetModel(string scope, CostModelRequest body, HttpContext http, CostCatalog costs, CancellationToken ct) =>
        TypedResults.Ok(await costs.SetModelAsync(http.GetPrincipal(), new CostModel(scope, body.Currency, body.NodeCostPerHour, body.Nodes, body.FixedMonthly, body.PricePer1000), ct));

    private static async Task<Ok<DepartmentBudget>> SetBudget(string department, BudgetRequest body, HttpContext http, CostCatalog costs, CancellationToken ct) =>
        TypedResults.Ok(await costs.SetBudgetAsync(http.GetPrincipal(), department, body.Monthly, ct));

    private static async Task<Created<SatisfactionRatingView>> Rate(string endpoint, SatisfactionRequest body, HttpContext http, SatisfactionService service, CancellationToken ct)
    {
        var department = body.Department is { } named && http.GetPrincipal().TrySelectDepartment(named, out var chosen) ? chosen
            : body.Department is null ? http.GetDepartment()
            : throw ProblemTypes.DepartmentScope.With($"Your key is not scoped to the department '{Core.Naming.ResourceName.Printable(body.Department)}'.");
        var header = http.Request.Headers[Predictions.PredictionFlow.UserHeader].ToString();
        var stored = await service.RateAsync(endpoint, body, department, header.Length == 0 ? null : header, ct);
        return TypedResults.Created($"/api/v1/endpoints/{endpoint}/satisfaction",
            new SatisfactionRatingView(stored.Endpoint, stored.RequestId, stored.Rating, stored.Department, stored.Target, stored.At));
    }

    private static async Task<Ok<SatisfactionView>> Satisfaction(string endpoint, string? window, SatisfactionService service, TimeProvider time, CancellationToken ct)
    {
        var period = window is null ? TimeSpan.FromDays(84)
            : WindowSetting.Parse(window) is { Seconds: { } s } ? TimeSpan.FromSeconds(s)
            : throw ProblemTypes.ValidationFailed.With($"window must be a period such as 7d or 24h; got '{Core.Naming.ResourceName.Printable(window)}'.");
        return TypedResults.Ok(await service.GetAsync(endpoint, time.GetUtcNow() - period, null, ct));
    }

    private static async Task<Ok<Core.Capacity.CapacityResult>> Capacity(string endpoint, CapacityRequest body, HttpContext http, CapacityRunner runner, CancellationToken ct)
    {
        var duration = WindowSetting.Parse(body.Duration) is { Seconds: { } s } ? TimeSpan.FromSeconds(s)
            : body.Duration.EndsWith("ms", StringComparison.Ordinal) && int.TryParse(body.Duration[..^2], System.Globalization.CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms)
            : throw ProblemTypes.ValidationFailed.With($"duration must be a period such as 5s or 500ms; got '{Core.Naming.ResourceName.Printable(body.Duration)}'.");
        return TypedResults.Ok(await runner.RunAsync(http.GetPrincipal(), endpoint, body.Version, body.MaxConcurrency, duration, ct));
    }
}

/// <summary>A stored rating as answered (the user's pseudonym and comment are not echoed).</summary>
public sealed record SatisfactionRatingView(string Endpoint, string? RequestId, int Rating, string? Department, string? Version, DateTimeOffset At);

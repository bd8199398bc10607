using Escala.Core.Problems;
using Escala.Server.Access;
using Escala.Server.Audit;
using Escala.Server.Dashboard;
using Escala.Server.Departments;
using Escala.Server.Endpoints;
using Escala.Server.Explaining;
using Escala.Server.Fairness;
using Escala.Server.Monitoring;
using Escala.Server.Outbound;
using Escala.Server.Organisation;
using Escala.Server.Predictions;
using Escala.Server.Privacy;
using Escala.Server.Problems;
using Escala.Server.Registry;
using Escala.Server.Scheduling;
using Escala.Server.Security;
using Escala.Server.Serving;
using Escala.Server.Training;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Hosting;

/// <summary>
/// Builds the Escala server. <see cref="CreateBuilder"/> registers services (add a feature's services
/// with one <c>builder.Services.AddX()</c> line there); <see cref="Build"/> sets up the middleware and
/// maps every feature's route group (add one <c>app.MapX()</c> line there). The CLI (<c>serve</c>,
/// <c>demo</c>) and the tests use exactly this, so what is tested is what runs.
/// </summary>
public static class EscalaServer
{
    /// <summary>A builder with Escala's services and limits for <paramref name="options"/>; tests may adjust it (e.g. logging) before <see cref="Build"/>.</summary>
    public static WebApplicationBuilder CreateBuilder(EscalaServerOptions options)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // No file watchers on appsettings: many servers in one process (tests) would exhaust inotify instances.
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            EnvironmentName = Environments.Production,
            ApplicationName = typeof(EscalaServer).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;

            // Kestrel answers its own limits with an empty body; HeaderLimits applies the real ones with problem details.
            kestrel.Limits.MaxRequestHeadersTotalSize = Math.Max(HeaderLimits.KestrelHeadersTotalBytes, options.MaxRequestHeaderBytes * 2);
            kestrel.Limits.MaxRequestHeaderCount = Math.Max(HeaderLimits.KestrelHeaderCount, options.MaxRequestHeaderCount * 2);
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.Configure<JsonOptions>(json => EscalaJson.Configure(json.SerializerOptions));
        // Binding failures (malformed JSON, wrong types) throw, so the exception handler answers them as problem details.
        builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);

        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = NameStatusCodeProblems);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorization(authorization =>
            authorization.FallbackPolicy = new AuthorizationPolicyBuilder(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser().Build());
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        builder.Services.AddEscalaRateLimiting();
        builder.Services.AddOpenApi();
        // ASP.NET Core creates data-protection keys on start; keep them in the data folder, not the user's profile.
        builder.Services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(options.DataDirectory), "data-protection")))
            .SetApplicationName("escala");
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // ASP.NET Core logs every request at Information (four lines each); on the prediction path that
        // console I/O costs more than the model. Warnings and errors still show; `Logging:LogLevel` overrides.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // HttpClientFactory logs four lines per call at Information: on every call to an external backend or webhook.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);

        builder.Services.AddFoundation(options);
        builder.Services.AddOutbound();
        builder.Services.AddGateway();
        builder.Services.AddMonitoring();
        builder.Services.AddDashboard();
        builder.Services.AddExplanations();
        builder.Services.AddTraining();
        builder.Services.AddOrganisation();
        // Last, so that it stops first: no job runs while the services it uses shut down.
        builder.Services.AddScheduling();
        return builder;
    }

    /// <summary>Builds the app: problem details for every failure, per-route body limits, API-key auth, and every route group.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseHeaderLimits(app.Services.GetRequiredService<EscalaServerOptions>());
        app.UseStatusCodePages();
        app.UseRouting();
        BodySizeLimit.Apply(app);
        app.UseAuthentication();
        app.UseEscalaRateLimiting();
        app.UseAuthorization();

        app.MapOpenApi().AllowAnonymous();
        app.MapRegistry();
        app.MapApprovals();
        app.MapDepartments();
        app.MapKeys();
        app.MapAudit();
        app.MapOutbound();
        app.MapEndpoints();
        app.MapRecordsPredictions();
        app.MapInference();
        app.MapMonitoring();
        app.MapDashboard();
        app.MapExplanations();
        app.MapFairness();
        app.MapPrivacy();
        app.MapDatasets();
        app.MapPipelines();
        app.MapOrganisation();
        return app;
    }

    /// <summary>Builds and starts a server; its <c>Urls</c> then hold the bound addresses (port 0 resolved).</summary>
    public static async Task<WebApplication> StartAsync(EscalaServerOptions options, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = CreateBuilder(options);
        configure?.Invoke(builder);
        var app = Build(builder);
        try
        {
            await app.StartAsync(cancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    // Responses with an empty body (no route, wrong method) get Escala's problem types too.
    private static void NameStatusCodeProblems(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Type?.StartsWith(ProblemType.BaseUri, StringComparison.Ordinal) == true)
        {
            return;
        }

        var request = context.HttpContext.Request;
        var type = context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => ProblemTypes.NotFound,
            StatusCodes.Status405MethodNotAllowed => ProblemTypes.MethodNotAllowed,
            StatusCodes.Status413PayloadTooLarge => ProblemTypes.PayloadTooLarge,
            StatusCodes.Status415UnsupportedMediaType => ProblemTypes.UnsupportedMediaType,
            StatusCodes.Status401Unauthorized => ProblemTypes.Unauthenticated,
            StatusCodes.Status403Forbidden => ProblemTypes.InsufficientRole,
            >= 500 => ProblemTypes.Internal,
            _ => ProblemTypes.ValidationFailed,
        };
        context.ProblemDetails.Type = type.Uri;
        context.ProblemDetails.Title = type.Title;
        context.ProblemDetails.Detail = PublicDetail.Of(context.ProblemDetails.Detail ?? (type == ProblemTypes.NotFound
            ? $"No route matches {request.Method} {request.Path}; the routes are listed at /openapi/v1.json."
            : type == ProblemTypes.MethodNotAllowed
                ? $"{request.Path} does not accept {request.Method}; the routes are listed at /openapi/v1.json."
                : null));
    }
}

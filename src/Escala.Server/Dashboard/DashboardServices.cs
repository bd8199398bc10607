using Escala.Server.Dashboard.Pages;
using Escala.Server.Dashboard.Sessions;
using Escala.Server.Scheduling;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Dashboard;

/// <summary>The web dashboard at <c>/</c>: sessions, its pages and their routes.</summary>
public static class DashboardServices
{
    /// <summary>Registers sessions (store, sign-in, the cookie scheme, cleanup) and every page.</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddOptions<DashboardSessionOptions>().BindConfiguration("Dashboard");
        services.AddSingleton<DashboardSignIn>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, SessionAuthentication>(SessionAuthentication.SchemeName, null);
        services.AddScheduledJob<SessionCleanup>();
        services.AddDashboardPage<SignInPage>();
        services.AddDashboardPage<OverviewPage>();
        services.AddDashboardPage<ModelsPage>();
        services.AddDashboardPage<EndpointPage>();
        services.AddDashboardPage<MonitoringPage>();
        services.AddDashboardPage<AuditPage>();
        return services;
    }

    /// <summary>Adds a page: its routes are mapped and its nav entry shown to the roles that may open it.</summary>
    public static IServiceCollection AddDashboardPage<TPage>(this IServiceCollection services) where TPage : class, IDashboardPage =>
        services.AddSingleton<IDashboardPage, TPage>();

    /// <summary>Maps the script and every page's routes.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        DashboardAssets.Map(app);
        foreach (var page in app.ServiceProvider.GetServices<IDashboardPage>())
        {
            page.Map(app);
        }

        return app;
    }
}

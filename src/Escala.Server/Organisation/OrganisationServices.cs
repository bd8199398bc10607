using Escala.Core.Costs;
using Escala.Core.Rollouts;
using Escala.Core.UseCases;
using Escala.Server.Scheduling;
using Escala.Server.Serving;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Organisation;

/// <summary>Registration of the organisation rollout: use cases, plans in waves, adoption, cost, satisfaction, capacity.</summary>
public static class OrganisationServices
{
    /// <summary>Registers the feature; call after the gateway and monitoring (it observes requests and reads their live metrics and ground truth).</summary>
    public static IServiceCollection AddOrganisation(this IServiceCollection services)
    {
        services.AddSingleton<UserPseudonyms>();
        services.AddHostedService(sp => sp.GetRequiredService<UserPseudonyms>());
        services.AddScheduledJob<UsageTally>();
        services.AddSingleton<IPredictionObserver>(sp => sp.GetRequiredService<UsageTally>());

        services.AddSingleton<UseCaseCatalog>();
        services.AddSingleton<CostCatalog>();
        services.AddSingleton<SatisfactionService>();
        services.AddSingleton<AdoptionReport>();
        services.AddSingleton<CostReport>();
        services.AddSingleton<IRolloutMeasurements, RolloutMeasurements>();
        services.AddSingleton<RolloutCatalog>();
        services.AddSingleton<RolloutOperations>();
        services.AddSingleton<CapacityRunner>();
        services.AddSingleton<ExecutiveReports>();
        services.AddScheduledJob<RolloutAutoAdvance>();
        return services;
    }

    /// <summary>Maps the feature's routes.</summary>
    public static IEndpointRouteBuilder MapOrganisation(this IEndpointRouteBuilder app)
    {
        app.MapUseCases();
        app.MapRollouts();
        app.MapAdoption();
        return app;
    }
}

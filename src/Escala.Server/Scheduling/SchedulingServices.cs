using Escala.Core.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Escala.Server.Scheduling;

/// <summary>Registration of the one scheduler and of the jobs it runs.</summary>
public static class SchedulingServices
{
    /// <summary>The scheduler as a hosted service, with the single-node lease unless a backend registered another.</summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services)
    {
        services.TryAddSingleton<ISchedulerLease, SingleNodeLease>();
        services.AddSingleton<JobScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<JobScheduler>());
        return services;
    }

    /// <summary>Registers <typeparamref name="TJob"/> as a singleton (resolvable as itself) that the scheduler runs.</summary>
    public static IServiceCollection AddScheduledJob<TJob>(this IServiceCollection services)
        where TJob : class, IScheduledJob
    {
        services.AddSingleton<TJob>();
        services.AddSingleton<IScheduledJob>(sp => sp.GetRequiredService<TJob>());
        return services;
    }
}

using Escala.Core.Privacy;
using Escala.Server.Privacy;
using Escala.Server.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Explaining;

/// <summary>Governance's services: explanation backgrounds, the explainer cache and the background capture, fairness evaluations, the prediction log's privacy policies and their retention job.</summary>
public static class ExplanationServices
{
    /// <summary>Registers explanations; call after the foundation (it needs the registry).</summary>
    public static IServiceCollection AddExplanations(this IServiceCollection services)
    {
        services.AddSingleton<ExplainerCache>();
        services.AddSingleton<ExplanationBackgrounds>();
        services.AddSingleton<GlobalImportance>();
        services.AddSingleton<PrivacyKey>();
        services.AddSingleton<LogPrivacy>();
        services.AddSingleton<IPredictionLogPolicy>(sp => sp.GetRequiredService<LogPrivacy>());
        services.AddHostedService<PrivacyStartup>();
        services.AddScheduledJob<PrivacyRetention>();
        return services;
    }
}

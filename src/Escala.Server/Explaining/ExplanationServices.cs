using Escala.Core.Explanations;
using Escala.Core.Fairness;
using Escala.Storage.Explanations;
using Escala.Storage.Fairness;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Explaining;

/// <summary>Governance's services: explanation backgrounds, the explainer cache and the background capture, fairness evaluations.</summary>
public static class ExplanationServices
{
    /// <summary>Registers explanations; call after the foundation (it needs the registry).</summary>
    public static IServiceCollection AddExplanations(this IServiceCollection services)
    {
        services.AddSingleton<IExplanationBackgroundStore, SqliteExplanationBackgroundStore>();
        services.AddSingleton<ExplainerCache>();
        services.AddSingleton<ExplanationBackgrounds>();
        services.AddSingleton<IFairnessReportStore, SqliteFairnessReportStore>();
        return services;
    }
}

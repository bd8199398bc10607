using Escala.Core.Explanations;
using Escala.Storage.Explanations;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Explaining;

/// <summary>Explanations' services: the background store, the explainer cache and the background capture.</summary>
public static class ExplanationServices
{
    /// <summary>Registers explanations; call after the foundation (it needs the registry).</summary>
    public static IServiceCollection AddExplanations(this IServiceCollection services)
    {
        services.AddSingleton<IExplanationBackgroundStore, SqliteExplanationBackgroundStore>();
        services.AddSingleton<ExplainerCache>();
        services.AddSingleton<ExplanationBackgrounds>();
        return services;
    }
}

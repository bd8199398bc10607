using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Departments;
using Escala.Core.Registry;
using Escala.Server.Registry;
using Escala.Server.Security;
using Escala.Server.Storage;
using Escala.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Hosting;

/// <summary>
/// The foundation's services: the node's data folder, the stores of the configured backend (one
/// <see cref="StorageServices.AddStores"/> call), the model inspector, the Core rules and the key ring.
/// All are singletons: the stores are thread-safe and the rules are stateless.
/// </summary>
public static class FoundationServices
{
    /// <summary>Registers the foundation for <paramref name="options"/>.</summary>
    public static IServiceCollection AddFoundation(this IServiceCollection services, EscalaServerOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(options.Time);
        services.AddSingleton(_ => DataFolder.Create(options.DataDirectory));
        services.AddStores(options);

        services.AddSingleton<IModelInspector, EngineModelInspector>();

        services.AddSingleton<DepartmentDirectory>();
        services.AddSingleton<ApiKeyIssuer>();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<Promotions>();
        services.AddSingleton<ModelGrants>();
        services.AddSingleton<KeyRing>();
        services.AddSingleton<KnownDepartments>();
        services.AddSingleton<KeyStates>();
        services.AddSingleton<ISecurityState>(sp => sp.GetRequiredService<KeyStates>());
        services.AddSingleton<ISecurityState, VersionStages>();
        services.AddSingleton<Audit.AuditVerifier>();

        services.AddHostedService<FoundationStartup>();
        return services;
    }
}

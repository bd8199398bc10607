using Escala.Core.Access;
using Escala.Core.Artifacts;
using Escala.Core.Audit;
using Escala.Core.Departments;
using Escala.Core.Registry;
using Escala.Server.Registry;
using Escala.Server.Security;
using Escala.Storage;
using Escala.Storage.Access;
using Escala.Storage.Artifacts;
using Escala.Storage.Audit;
using Escala.Storage.Departments;
using Escala.Storage.Registry;
using Escala.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Hosting;

/// <summary>
/// The foundation's services: the data folder, the SQLite database and its stores behind Core's
/// interfaces, the artifact store, the model inspector, the Core rules and the key ring. All are
/// singletons: the stores are thread-safe and the rules are stateless.
/// </summary>
public static class FoundationServices
{
    /// <summary>Registers the foundation for <paramref name="options"/>.</summary>
    public static IServiceCollection AddFoundation(this IServiceCollection services, EscalaServerOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(options.Time);
        services.AddSingleton(_ => DataFolder.Create(options.DataDirectory));
        services.AddSingleton(sp =>
        {
            // The key that signs the audit anchor may live outside the data folder (Audit:AnchorKeyPath), so a copy of
            // the folder alone cannot forge a checkpoint.
            var folder = sp.GetRequiredService<DataFolder>();
            var keyPath = sp.GetRequiredService<IConfiguration>()["Audit:AnchorKeyPath"];
            return new FileAuditAnchor(folder.AuditAnchorPath, string.IsNullOrWhiteSpace(keyPath) ? folder.AuditAnchorKeyPath : keyPath, options.Time);
        });
        services.AddSingleton<IAuditAnchor>(sp => sp.GetRequiredService<FileAuditAnchor>());
        services.AddSingleton(sp =>
        {
            var database = SqliteDatabase.Open(sp.GetRequiredService<DataFolder>().DatabasePath);
            database.Anchor = sp.GetRequiredService<IAuditAnchor>();
            return database;
        });

        services.AddSingleton<IDepartmentStore, SqliteDepartmentStore>();
        services.AddSingleton<IApiKeyStore, SqliteApiKeyStore>();
        services.AddSingleton<IModelStore, SqliteModelStore>();
        services.AddSingleton<IPromotionStore, SqlitePromotionStore>();
        services.AddSingleton<IAuditLog, SqliteAuditLog>();
        services.AddSingleton<IArtifactStore>(sp => new FileArtifactStore(sp.GetRequiredService<DataFolder>().ArtifactsPath));
        services.AddSingleton<IModelInspector, EngineModelInspector>();

        services.AddSingleton<DepartmentDirectory>();
        services.AddSingleton<ApiKeyIssuer>();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<Promotions>();
        services.AddSingleton<KeyRing>();
        services.AddSingleton<KeyStates>();
        services.AddSingleton<ISecurityState>(sp => sp.GetRequiredService<KeyStates>());
        services.AddSingleton<ISecurityState, VersionStages>();
        services.AddSingleton<Audit.AuditVerifier>();

        services.AddHostedService<FoundationStartup>();
        return services;
    }
}

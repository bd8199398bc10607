using Escala.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Storage;

/// <summary>The storage seam: one call picks the backend named by <see cref="EscalaServerOptions.Store"/>.</summary>
public static class StorageServices
{
    /// <summary>Registers every store for the configured backend (SQLite in the data folder unless told otherwise).</summary>
    public static IServiceCollection AddStores(this IServiceCollection services, EscalaServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var location = options.Store ?? StoreLocation.Sqlite(options.DataDirectory);
        return location.Kind == StoreKind.Postgres
            ? services.AddPostgresStores(location.Target)
            : services.AddSqliteStores();
    }
}

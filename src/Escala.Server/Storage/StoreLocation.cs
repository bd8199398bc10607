namespace Escala.Server.Storage;

/// <summary>The backends Escala can keep its state in.</summary>
public enum StoreKind
{
    /// <summary>One node: SQLite and the file artifact store in a data folder.</summary>
    Sqlite,

    /// <summary>Several nodes sharing one PostgreSQL database (state, artifacts, change log, scheduler lease).</summary>
    Postgres,
}

/// <summary>
/// Where the state lives, as given to <c>escala serve --store</c>: <c>sqlite:DIR</c> or
/// <c>postgres:Host=...;Database=...</c> (an Npgsql connection string).
/// </summary>
public sealed record StoreLocation(StoreKind Kind, string Target)
{
    /// <summary>The environment variable <c>escala serve</c> reads the store from when <c>--store</c> is not given (keeps a password off the command line).</summary>
    public const string EnvironmentVariable = "ESCALA_STORE";

    /// <summary>SQLite in <paramref name="directory"/>.</summary>
    public static StoreLocation Sqlite(string directory) => new(StoreKind.Sqlite, directory);

    /// <summary>Parses <c>sqlite:DIR</c> or <c>postgres:CONNECTION</c>; throws <see cref="FormatException"/> saying what is accepted.</summary>
    public static StoreLocation Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon < 0 ? "" : text[..colon];
        var target = colon < 0 ? "" : text[(colon + 1)..].Trim();
        var kind = scheme.ToLowerInvariant() switch
        {
            "sqlite" => StoreKind.Sqlite,
            "postgres" or "postgresql" => StoreKind.Postgres,
            _ => throw new FormatException(
                $"The store '{Redacted(text)}' is not understood; use sqlite:DIR or \"postgres:Host=...;Database=...;Username=...\"."),
        };
        if (target.Length == 0)
        {
            throw new FormatException(kind == StoreKind.Sqlite
                ? "sqlite: needs a folder, e.g. sqlite:/var/lib/escala."
                : "postgres: needs a connection string, e.g. \"postgres:Host=db;Database=escala;Username=escala\".");
        }

        if (kind == StoreKind.Postgres)
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(target);
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"The PostgreSQL connection string is not valid: {e.Message}", e);
            }
        }

        return new StoreLocation(kind, target);
    }

    /// <summary>For logs and messages: the backend and where, never a password.</summary>
    public override string ToString() => Kind == StoreKind.Sqlite ? $"sqlite:{Target}" : $"postgres:{Redacted(Target)}";

    private static string Redacted(string text)
    {
        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(text.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) ? text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..] : text);
            return builder.Password is null ? $"Host={builder.Host};Port={builder.Port};Database={builder.Database}" : $"Host={builder.Host};Port={builder.Port};Database={builder.Database};Password=***";
        }
        catch (ArgumentException)
        {
            return text.Contains("password", StringComparison.OrdinalIgnoreCase) ? "(hidden: it mentions a password)" : text;
        }
    }
}

using System.CommandLine;

namespace Escala.Cli.Client;

/// <summary>The options every command that talks to a server shares, with their environment defaults.</summary>
public static class ClientOptions
{
    /// <summary>The server URL variable.</summary>
    public const string UrlVariable = "ESCALA_URL";

    /// <summary>The API key variable.</summary>
    public const string KeyVariable = "ESCALA_API_KEY";

    /// <summary>Where the server is when nothing says otherwise (the address <c>escala serve</c> listens on by default).</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    // Neither option has a default value factory: `--help` prints an option's default value, and a
    // default read from the environment would print the API key (or a URL with credentials) in clear.
    // The environment is read when a command runs (ResolveUrl, ResolveApiKey), never for display.

    /// <summary><c>--url</c>: the server's base URL.</summary>
    public static Option<string?> Url { get; } = new("--url")
    {
        Description = $"The Escala server's URL (default: ${UrlVariable}, else {DefaultUrl}).",
        Recursive = true,
    };

    /// <summary><c>--api-key</c>: the key to call with.</summary>
    public static Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"The API key (default: ${KeyVariable}). Prefer the variable: arguments show up in process lists.",
        Recursive = true,
    };

    /// <summary>The URL to call: <c>--url</c>, else <c>ESCALA_URL</c>, else <see cref="DefaultUrl"/>.</summary>
    public static string ResolveUrl(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(Url) is { Length: > 0 } given ? given
            : Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url ? url : DefaultUrl;
    }

    /// <summary>The key to call with: <c>--api-key</c>, else <c>ESCALA_API_KEY</c>, else none.</summary>
    public static string? ResolveApiKey(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(ApiKey) is { Length: > 0 } given ? given
            : Environment.GetEnvironmentVariable(KeyVariable) is { Length: > 0 } key ? key : null;
    }

    /// <summary><c>--json</c>: print the server's JSON instead of a table.</summary>
    public static Option<bool> Json { get; } = new("--json") { Description = "Print JSON instead of a table." };

    /// <summary>Adds <c>--url</c> and <c>--api-key</c> to a command group (they apply to its subcommands).</summary>
    public static T WithClientOptions<T>(this T command) where T : Command
    {
        command.Options.Add(Url);
        command.Options.Add(ApiKey);
        return command;
    }
}

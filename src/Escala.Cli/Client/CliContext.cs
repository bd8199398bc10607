using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Escala.Cli.Client;

/// <summary>What a command's action works with: the parsed command line, the console and a client built from --url/--api-key.</summary>
public sealed class CliContext(ParseResult parse, IAnsiConsole console, TextWriter error) : IDisposable
{
    private EscalaClient? _client;

    /// <summary>The parsed command line.</summary>
    public ParseResult Parse { get; } = parse;

    /// <summary>Where results go (tables, lines).</summary>
    public IAnsiConsole Console { get; } = console;

    /// <summary>Where warnings and errors go.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>The client for the server named by --url / ESCALA_URL with --api-key / ESCALA_API_KEY.</summary>
    public EscalaClient Client => _client ??= new EscalaClient(
        ClientOptions.ResolveUrl(Parse), ClientOptions.ResolveApiKey(Parse));

    /// <summary>The value of an option or argument.</summary>
    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    /// <summary>The value of an argument.</summary>
    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);

    /// <summary>Prints JSON, indented, to the output.</summary>
    public void WriteJson(JsonElement json) =>
        Console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(json, Indented));

    /// <summary>Prints a plain line (no markup interpretation).</summary>
    public void Line(string text) => Console.Profile.Out.Writer.WriteLine(text);

    /// <inheritdoc/>
    public void Dispose() => _client?.Dispose();

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}

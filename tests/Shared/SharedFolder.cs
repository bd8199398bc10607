namespace Escala.Testing;

/// <summary>
/// Locates ../shared (test material kept beside the repository, never copied into it) and skips
/// a test with a clear message where it is absent, as on a fresh machine with only the SDK.
/// </summary>
public static class SharedFolder
{
    /// <summary>Environment variable that points at the shared folder when it is not beside the repository.</summary>
    public const string Variable = "ESCALA_SHARED";

    private static readonly Lazy<string?> Root = new(Find);

    /// <summary>The shared folder, or null when it cannot be found.</summary>
    public static string? Path => Root.Value;

    /// <summary>The path of <paramref name="relative"/> inside the shared folder; skips the test when it is absent.</summary>
    public static string Require(string relative)
    {
        var root = Root.Value;
        var full = root is null ? null : System.IO.Path.Combine(root, relative);
        if (full is null || !(File.Exists(full) || Directory.Exists(full)))
        {
            Assert.Skip($"Needs ../shared/{relative} beside the repository (or set {Variable} to the shared folder); it is present in CI.");
        }

        return full!;
    }

    private static string? Find()
    {
        var fromEnv = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return Directory.Exists(fromEnv) ? fromEnv : null;
        }

        // Walk up from the test binaries to the repository root (the folder holding Escala.slnx); shared sits beside it.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Escala.slnx")))
            {
                var shared = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared"));
                return Directory.Exists(shared) ? shared : null;
            }
        }

        return null;
    }
}

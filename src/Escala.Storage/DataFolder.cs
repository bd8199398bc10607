namespace Escala.Storage;

/// <summary>
/// The layout of a data folder: the SQLite database, the artifact store and the bootstrap key file.
/// Everything Escala keeps on one node lives under <see cref="Root"/>, so backing up the folder
/// (with the server stopped, or with SQLite's online backup) backs up everything.
/// </summary>
public sealed class DataFolder
{
    private DataFolder(string root) => Root = root;

    /// <summary>The absolute path of the folder.</summary>
    public string Root { get; }

    /// <summary>The SQLite database file.</summary>
    public string DatabasePath => Path.Combine(Root, "escala.db");

    /// <summary>The folder of the content-addressed artifact store.</summary>
    public string ArtifactsPath => Path.Combine(Root, "artifacts");

    /// <summary>The file the first start writes the bootstrap admin key to (mode 0600).</summary>
    public string BootstrapKeyPath => Path.Combine(Root, "bootstrap-admin.key");

    /// <summary>The audit chain's signed head, rewritten after every audited commit.</summary>
    public string AuditAnchorPath => Path.Combine(Root, "audit-head.json");

    /// <summary>The default key that signs the audit anchor (configurable to live outside the folder).</summary>
    public string AuditAnchorKeyPath => Path.Combine(Root, "audit-anchor.key");

    /// <summary>The folder at <paramref name="path"/>, created when missing.</summary>
    public static DataFolder Create(string path)
    {
        var root = Path.GetFullPath(path);
        Directory.CreateDirectory(root);
        if (!OperatingSystem.IsWindows())
        {
            // The folder holds hashed keys and the bootstrap key: owner only.
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new DataFolder(root);
    }

    /// <summary>An existing folder; throws <see cref="DirectoryNotFoundException"/> when it does not hold a database.</summary>
    public static DataFolder Existing(string path)
    {
        var folder = new DataFolder(Path.GetFullPath(path));
        if (!File.Exists(folder.DatabasePath))
        {
            throw new DirectoryNotFoundException($"There is no Escala database at {folder.DatabasePath}.");
        }

        return folder;
    }
}

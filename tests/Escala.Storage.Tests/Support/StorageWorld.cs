using System.Text;
using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Departments;
using Escala.Core.Registry;
using Escala.Storage.Access;
using Escala.Storage.Artifacts;
using Escala.Storage.Audit;
using Escala.Storage.Departments;
using Escala.Storage.Registry;
using Escala.Storage.Sqlite;

namespace Escala.Storage.Tests.Support;

/// <summary>A fresh data folder with the real SQLite stores, the artifact store and Core's rules over them.</summary>
public sealed class StorageWorld : IDisposable
{
    public StorageWorld()
    {
        Folder = DataFolder.Create(Path.Combine(Path.GetTempPath(), "escala-tests", Guid.NewGuid().ToString("N")));
        Database = SqliteDatabase.Open(Folder.DatabasePath);
        Artifacts = new FileArtifactStore(Folder.ArtifactsPath);
        Departments = new SqliteDepartmentStore(Database);
        Keys = new SqliteApiKeyStore(Database);
        Models = new SqliteModelStore(Database);
        PromotionStore = new SqlitePromotionStore(Database);
        Audit = new SqliteAuditLog(Database);
        Org = new DepartmentDirectory(Departments, Clock);
        Issuer = new ApiKeyIssuer(Keys, Departments, Clock);
        Registry = new ModelRegistry(Models, Artifacts, new AcceptingInspector(), Departments, Clock);
        Promotions = new Promotions(Models, PromotionStore, Clock);
    }

    public ManualClock Clock { get; } = new();
    public DataFolder Folder { get; }
    public SqliteDatabase Database { get; }
    public FileArtifactStore Artifacts { get; }
    public SqliteDepartmentStore Departments { get; }
    public SqliteApiKeyStore Keys { get; }
    public SqliteModelStore Models { get; }
    public SqlitePromotionStore PromotionStore { get; }
    public SqliteAuditLog Audit { get; }
    public DepartmentDirectory Org { get; }
    public ApiKeyIssuer Issuer { get; }
    public ModelRegistry Registry { get; }
    public Promotions Promotions { get; }

    public static Principal Admin { get; } = new("admin0000000000", "admin", Role.Admin, []);

    public static Principal Key(string name, Role role, params string[] departments) => new($"{name}-key", name, role, [.. departments]);

    public static byte[] ModelBytes(string text = "model") => Encoding.UTF8.GetBytes($"onnx-bytes:{text}");

    public async Task<Department> DepartmentAsync(string name) =>
        await Org.CreateAsync(Admin, name, new DepartmentChange(null, 10, null), TestContext.Current.CancellationToken);

    public Task<ModelVersion> RegisterAsync(Principal caller, string model, string? parent = null, string text = "model", string? department = null, bool? fourEyes = null) =>
        Registry.RegisterAsync(caller, new RegistrationRequest(model, Department: department, RequireApproval: fourEyes, Parent: parent), ModelBytes(text),
            TestContext.Current.CancellationToken);

    public async Task<List<AuditRecord>> AuditRecordsAsync() => [.. await Audit.ListAsync(0, 10_000, null, TestContext.Current.CancellationToken)];

    public string[] ArtifactFiles() =>
        [.. System.IO.Directory.EnumerateFiles(Path.Combine(Folder.ArtifactsPath, "sha256"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        Database.Dispose();
        try
        {
            System.IO.Directory.Delete(Folder.Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is not a test failure.
        }
    }
}

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>Accepts any bytes as a model (the engine is not under test here) and reports a fixed signature.</summary>
public sealed class AcceptingInspector : IModelInspector
{
    public ModelInspection Inspect(ReadOnlyMemory<byte> model) => new(
        new ModelSignature([new TensorSpec("x", "float", ["N", "3"])], [new TensorSpec("y", "float", ["N", "1"])],
            new Dictionary<string, long> { ["ai.onnx"] = 17 }, "tests"),
        Runnable: true);
}

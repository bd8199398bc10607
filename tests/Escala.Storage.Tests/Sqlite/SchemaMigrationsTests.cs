using Escala.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Escala.Storage.Tests.Sqlite;

public sealed class SchemaMigrationsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("escala-migrations-").FullName;

    private string DbPath => Path.Combine(_folder, "escala.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private List<string> Applied()
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM schema_migrations ORDER BY id;";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public void Open_FreshFile_AppliesEveryEmbeddedMigrationOnceInWalMode()
    {
        using (SqliteDatabase.Open(DbPath))
        {
        }

        Assert.Equal(SchemaMigrations.Embedded.All.Select(m => m.Id), Applied());
        Assert.Contains("0001_foundation", Applied());
        using (SqliteDatabase.Open(DbPath))
        {
        }

        Assert.Equal(SchemaMigrations.Embedded.All.Count, Applied().Count);
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string)mode.ExecuteScalar()!);
    }

    [Fact]
    public void Apply_NewMigration_IsAppliedOnNextOpenOnly()
    {
        var first = new SchemaMigrations([new Migration("0001_a", "CREATE TABLE a (x INTEGER);")]);
        var second = new SchemaMigrations([.. first.All, new Migration("0002_b", "CREATE TABLE b (y INTEGER);")]);
        using (SqliteDatabase.Open(DbPath, first))
        {
        }

        using (SqliteDatabase.Open(DbPath, second))
        {
        }

        Assert.Equal(["0001_a", "0002_b"], Applied());
    }

    [Fact]
    public void Apply_FailingMigration_RollsBackAndIsNotRecorded()
    {
        var broken = new SchemaMigrations([
            new Migration("0001_a", "CREATE TABLE a (x INTEGER);"),
            new Migration("0002_broken", "CREATE TABLE half (y INTEGER); THIS IS NOT SQL;"),
        ]);
        Assert.Throws<SqliteException>(() => SqliteDatabase.Open(DbPath, broken));
        Assert.Equal(["0001_a"], Applied());
        var exception = Assert.Throws<SqliteException>(() => Execute("SELECT * FROM half;"));
        Assert.Contains("no such table", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MigrationEditedAfterApplied_IsRefused()
    {
        using (SqliteDatabase.Open(DbPath, new SchemaMigrations([new Migration("0001_a", "CREATE TABLE a (x INTEGER);")])))
        {
        }

        var edited = new SchemaMigrations([new Migration("0001_a", "CREATE TABLE a (x INTEGER, z TEXT);")]);
        var e = Assert.Throws<InvalidDataException>(() => SqliteDatabase.Open(DbPath, edited));
        Assert.Contains("changed after it was applied", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_DatabaseFromANewerEscala_IsRefused()
    {
        using (SqliteDatabase.Open(DbPath))
        {
        }

        Execute("INSERT INTO schema_migrations (id, checksum, applied_at) VALUES ('9999_future', 'x', 'now');");
        var e = Assert.Throws<InvalidDataException>(() => SqliteDatabase.Open(DbPath));
        Assert.Contains("newer version", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => SqliteDatabase.OpenExisting(DbPath));
    }

    [Fact]
    public void OpenExisting_MissingOrForeignFile_IsRefusedWithoutCreatingAnything()
    {
        Assert.Throws<FileNotFoundException>(() => SqliteDatabase.OpenExisting(DbPath));
        Assert.False(File.Exists(DbPath));
        Execute("CREATE TABLE unrelated (x INTEGER);");
        Assert.Contains("not an Escala database", Assert.Throws<InvalidDataException>(() => SqliteDatabase.OpenExisting(DbPath)).Message, StringComparison.Ordinal);
    }
}

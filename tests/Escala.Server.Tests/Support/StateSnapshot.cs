using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Escala.Testing;

/// <summary>
/// Everything a data folder stores, as text: every row of every table and every artifact file with its
/// hash. Two equal snapshots prove a refused request changed nothing.
/// </summary>
public static class StateSnapshot
{
    /// <summary>The snapshot of the data folder.</summary>
    public static string Take(string dataDirectory)
    {
        var text = new StringBuilder();
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "escala.db")};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            var tables = new List<string>();
            using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;";
                using var reader = list.ExecuteReader();
                while (reader.Read())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            foreach (var table in tables)
            {
                text.Append("## ").Append(table).Append('\n');
                using var rows = connection.CreateCommand();
                rows.CommandText = $"SELECT * FROM \"{table}\" ORDER BY rowid;";
                using var reader = rows.ExecuteReader();
                while (reader.Read())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        text.Append(reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                    }

                    text.Append('\n');
                }
            }
        }

        var objects = Path.Combine(dataDirectory, "artifacts", "sha256");
        if (Directory.Exists(objects))
        {
            foreach (var file in Directory.EnumerateFiles(objects, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                text.Append(Path.GetRelativePath(dataDirectory, file)).Append(' ').Append(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)))).Append('\n');
            }
        }

        return text.ToString();
    }
}

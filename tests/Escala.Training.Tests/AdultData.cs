using Escala.Testing;

namespace Escala.Training.Tests;

/// <summary>The Adult census data from ../shared, split in two CSV files (the first rows for training, the next for holdout) in a temp folder.</summary>
public sealed class AdultData : IDisposable
{
    private readonly string _folder;

    private AdultData(string folder)
    {
        _folder = folder;
        Train = Path.Combine(folder, "train.csv");
        Test = Path.Combine(folder, "test.csv");
    }

    /// <summary>Training rows.</summary>
    public string Train { get; }

    /// <summary>Holdout rows.</summary>
    public string Test { get; }

    /// <summary>Writes <paramref name="trainRows"/> training and <paramref name="testRows"/> holdout rows; skips the test without ../shared.</summary>
    public static AdultData Split(int trainRows, int testRows, Func<string, string>? transformRow = null)
    {
        var source = SharedFolder.Require("datasets/adult.csv");
        var lines = File.ReadLines(source).ToArray();
        var data = new AdultData(Directory.CreateTempSubdirectory("escala-adult-").FullName);
        var map = transformRow ?? (r => r);
        File.WriteAllLines(data.Train, lines.Take(1).Concat(lines.Skip(1).Take(trainRows).Select(map)));
        File.WriteAllLines(data.Test, lines.Take(1).Concat(lines.Skip(1 + trainRows).Take(testRows).Select(map)));
        return data;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

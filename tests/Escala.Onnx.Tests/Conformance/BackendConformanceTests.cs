using System.Text.Json;
using Escala.Testing;

namespace Escala.Onnx.Tests.Conformance;

public sealed class BackendConformanceTests
{
    [Fact]
    public void Every_backend_case_of_a_supported_operator_passes()
    {
        var root = SharedFolder.Require("onnx-backend-node");
        var cases = ReadManifest(Path.Combine(root, "manifest.json"));
        Assert.NotEmpty(cases);

        var results = cases.Select(c => BackendCaseRunner.Run(c, Path.Combine(root, c.Name))).ToList();
        WriteReport(ConformanceReport.Render(results));

        var failures = results.Where(r => r.Status == CaseStatus.Fail).Select(r => $"{r.Case.Name}: {r.Detail}").ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} failing case(s):\n" + string.Join("\n", failures));
    }

    private static List<BackendCase> ReadManifest(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var list = new List<BackendCase>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var opsets = string.Join(", ", c.GetProperty("opsets").EnumerateObject().Select(p => p.Name == "ai.onnx" ? p.Value.ToString() : $"{p.Name} {p.Value}"));
            var types = string.Join(" ", c.GetProperty("types").EnumerateArray().Select(t => t.GetString()));
            list.Add(new BackendCase(
                c.GetProperty("name").GetString()!,
                c.GetProperty("op").GetString()!,
                c.GetProperty("group").GetString()!,
                opsets,
                types,
                c.GetProperty("ort").GetString()!));
        }

        return list;
    }

    private static void WriteReport(string markdown)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Escala.slnx")))
            {
                Directory.CreateDirectory(Path.Combine(dir.FullName, "docs"));
                File.WriteAllText(Path.Combine(dir.FullName, "docs", "conformance.md"), markdown);
                return;
            }
        }
    }
}

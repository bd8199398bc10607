using System.Text;

namespace Escala.Onnx.Tests.Conformance;

/// <summary>Writes docs/conformance.md: a summary, a table per operator, and every case with its status and reason.</summary>
internal static class ConformanceReport
{
    public static string Render(IReadOnlyList<CaseResult> results)
    {
        var text = new StringBuilder();
        var pass = results.Count(r => r.Status == CaseStatus.Pass);
        var fail = results.Count(r => r.Status == CaseStatus.Fail);
        var unsupported = results.Count(r => r.Status == CaseStatus.Unsupported);
        text.AppendLine("# ONNX backend conformance");
        text.AppendLine();
        text.AppendLine("Written by `tests/Escala.Onnx.Tests/Conformance/BackendConformanceTests.cs`, which runs every case in");
        text.AppendLine("`../shared/onnx-backend-node` (ONNX's own node test cases; see its README) through the engine and compares");
        text.AppendLine("with the expected outputs by ONNX's rule: same shape and element type, |actual - expected| <= 1e-7 + 1e-3 * |expected|,");
        text.AppendLine("NaN equal to NaN, integers, booleans and strings exact. A case is **unsupported** when the engine refuses to");
        text.AppendLine("load its model (the reason is the engine's own message); the test fails if any case **fails**.");
        text.AppendLine("Regenerate with `dotnet test tests/Escala.Onnx.Tests --filter BackendConformance`.");
        text.AppendLine();
        text.AppendLine($"**{results.Count} cases: {pass} pass, {fail} fail, {unsupported} unsupported.**");
        text.AppendLine();
        text.AppendLine("| group | cases | pass | fail | unsupported |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var g in results.GroupBy(r => r.Case.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"| {g.Key} | {g.Count()} | {g.Count(r => r.Status == CaseStatus.Pass)} | {g.Count(r => r.Status == CaseStatus.Fail)} | {g.Count(r => r.Status == CaseStatus.Unsupported)} |");
        }

        text.AppendLine();
        text.AppendLine("## By operator");
        text.AppendLine();
        text.AppendLine("| op | cases | pass | fail | unsupported |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var g in results.GroupBy(r => r.Case.Op).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"| {g.Key} | {g.Count()} | {g.Count(r => r.Status == CaseStatus.Pass)} | {g.Count(r => r.Status == CaseStatus.Fail)} | {g.Count(r => r.Status == CaseStatus.Unsupported)} |");
        }

        text.AppendLine();
        text.AppendLine("## Every case");
        text.AppendLine();
        text.AppendLine("| case | op | opset | types | result | reason |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in results.OrderBy(r => r.Case.Op, StringComparer.Ordinal).ThenBy(r => r.Case.Name, StringComparer.Ordinal))
        {
            var status = r.Status switch
            {
                CaseStatus.Pass => "pass",
                CaseStatus.Fail => "**fail**",
                _ => "unsupported",
            };
            text.AppendLine($"| {r.Case.Name} | {r.Case.Op} | {r.Case.Opsets} | {r.Case.Types} | {status} | {Escape(r.Detail)} |");
        }

        return text.ToString();
    }

    private static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}

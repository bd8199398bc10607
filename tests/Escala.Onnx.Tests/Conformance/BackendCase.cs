namespace Escala.Onnx.Tests.Conformance;

/// <summary>One ONNX backend node test case as listed in the shared manifest.</summary>
internal sealed record BackendCase(string Name, string Op, string Group, string Opsets, string Types, string OrtVerdict);

/// <summary>The outcome of running one case.</summary>
internal enum CaseStatus
{
    Pass,
    Fail,
    Unsupported,
}

/// <summary>A case and what happened to it.</summary>
internal sealed record CaseResult(BackendCase Case, CaseStatus Status, string Detail);

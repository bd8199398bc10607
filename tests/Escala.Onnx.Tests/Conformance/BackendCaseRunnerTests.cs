using Escala.Onnx.Execution;
using Escala.Testing;

namespace Escala.Onnx.Tests.Conformance;

public sealed class BackendCaseRunnerTests
{
    private static readonly BackendCase AddCase = new("test_add", "Add", "requested", "14", "float", "pass");

    [Fact]
    public void A_correct_kernel_passes_its_case()
    {
        var folder = SharedFolder.Require("onnx-backend-node/test_add");

        Assert.Equal(CaseStatus.Pass, BackendCaseRunner.Run(AddCase, folder).Status);
    }

    [Fact]
    public void A_wrong_kernel_fails_its_case_with_the_first_difference()
    {
        var folder = SharedFolder.Require("onnx-backend-node/test_add");
        var wrong = new KernelRegistry().Add(OpsetDomains.Default, "Add", 7, node => KernelRegistry.Default.Resolve("", "Sub", 14).Factory!(node));

        var result = BackendCaseRunner.Run(AddCase, folder, new OnnxSessionOptions { Registry = wrong });

        Assert.Equal(CaseStatus.Fail, result.Status);
        Assert.Contains("values differ", result.Detail);
    }

    [Fact]
    public void A_missing_kernel_makes_the_case_unsupported()
    {
        var folder = SharedFolder.Require("onnx-backend-node/test_add");

        var result = BackendCaseRunner.Run(AddCase, folder, new OnnxSessionOptions { Registry = new KernelRegistry() });

        Assert.Equal(CaseStatus.Unsupported, result.Status);
        Assert.Contains("Add", result.Detail);
    }
}

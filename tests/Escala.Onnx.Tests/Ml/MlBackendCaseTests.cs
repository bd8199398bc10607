using Escala.Onnx.Protobuf;
using Escala.Onnx.Tensors;
using Escala.Testing;

namespace Escala.Onnx.Tests.Ml;

/// <summary>
/// The ai.onnx.ml cases of ONNX's own backend tests (../shared/onnx-backend-node/test_ai_onnx_ml_*), with the backend
/// runner's tolerance (rtol 1e-3, atol 1e-7; strings and integers exact). The engine's conformance test runs them too;
/// this keeps the ML kernels' own test suite honest about them.
/// </summary>
public sealed class MlBackendCaseTests
{
    public static TheoryData<string> Cases() =>
    [
        "test_ai_onnx_ml_array_feature_extractor",
        "test_ai_onnx_ml_binarizer",
        "test_ai_onnx_ml_label_encoder_string_int",
        "test_ai_onnx_ml_label_encoder_string_int_no_default",
        "test_ai_onnx_ml_label_encoder_tensor_mapping",
        "test_ai_onnx_ml_label_encoder_tensor_value_only_mapping",
        "test_ai_onnx_ml_tree_ensemble_set_membership",
        "test_ai_onnx_ml_tree_ensemble_single_tree",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backend_case_passes(string name)
    {
        var folder = SharedFolder.Require(Path.Combine("onnx-backend-node", name));
        var session = InferenceSession.LoadFile(Path.Combine(folder, "model.onnx"));
        var data = Path.Combine(folder, "test_data_set_0");
        var inputs = session.Inputs.Select((_, i) => (OnnxValue)Read(Path.Combine(data, $"input_{i}.pb"))).ToArray();
        var outputs = session.Run(inputs);
        for (var i = 0; i < outputs.Length; i++)
        {
            var expected = Read(Path.Combine(data, $"output_{i}.pb"));
            var actual = Assert.IsAssignableFrom<OnnxTensor>(outputs[i]);
            Assert.Equal(expected.ElementType, actual.ElementType);
            Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
            switch (expected, actual)
            {
                case (OnnxTensor<float> e, OnnxTensor<float> a):
                    AssertClose(e.ToArray().Select(v => (double)v), a.ToArray().Select(v => (double)v));
                    break;
                case (OnnxTensor<double> e, OnnxTensor<double> a):
                    AssertClose(e.ToArray(), a.ToArray());
                    break;
                case (OnnxTensor<string> e, OnnxTensor<string> a):
                    Assert.Equal(e.ToArray(), a.ToArray());
                    break;
                case (OnnxTensor<long> e, OnnxTensor<long> a):
                    Assert.Equal(e.ToArray(), a.ToArray());
                    break;
                case (OnnxTensor<short> e, OnnxTensor<short> a):
                    Assert.Equal(e.ToArray(), a.ToArray());
                    break;
                default:
                    Assert.Fail($"output {i}: {expected} not compared");
                    break;
            }
        }
    }

    private static OnnxTensor Read(string path) => TensorProtoConverter.ToTensor(TensorProto.Parse(File.ReadAllBytes(path)));

    private static void AssertClose(IEnumerable<double> expected, IEnumerable<double> actual)
    {
        foreach (var (e, a) in expected.Zip(actual))
        {
            Assert.True(double.IsNaN(e) ? double.IsNaN(a) : Math.Abs(a - e) <= 1e-7 + (1e-3 * Math.Abs(e)), $"expected {e}, got {a}");
        }
    }
}

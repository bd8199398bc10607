using Escala.Onnx.Building;
using Escala.Onnx.Inspection;
using Escala.Onnx.Protobuf;
using Escala.Onnx.Tensors;
using Escala.Testing;

namespace Escala.Onnx.Tests.Session;

/// <summary>
/// Issue 14 (first fix): skl2onnx 1.20 lists the default domain twice at the same version (<c>ai.onnx</c> 17 and
/// <c>""</c> 17); ONNX Runtime accepts such files and so must the engine. Two versions of one domain stay refused.
/// </summary>
public sealed class OpsetImportTests
{
    [Fact]
    public void A_real_scikit_learn_export_importing_the_default_domain_twice_at_one_version_loads_and_answers_as_before()
    {
        var bytes = File.ReadAllBytes(Path.Combine(SharedFolder.Require("onnx-real-models"), "rf_iris.onnx"));
        var model = ModelProto.Parse(bytes);
        var version = model.OpsetImport.Single(o => OpsetDomains.Normalize(o.Domain) == OpsetDomains.Default).Version;
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "ai.onnx", Version = version });
        Assert.Equal(2, model.OpsetImport.Count(o => OpsetDomains.Normalize(o.Domain) == OpsetDomains.Default));
        var doubled = model.ToByteArray();

        var original = InferenceSession.Load(bytes);
        var session = InferenceSession.Load(doubled);
        var x = new OnnxTensor<float>([5.1f, 3.5f, 1.4f, 0.2f, 6.7f, 3.0f, 5.2f, 2.3f], 2, 4);
        var expected = original.Run(x);
        var actual = session.Run(x);

        Assert.Equal(version, session.Opsets["ai.onnx"]);
        Assert.Equal(((OnnxTensor<long>)expected[0]).ToArray(), ((OnnxTensor<long>)actual[0]).ToArray());
        Assert.True(OnnxModelInspector.Inspect(doubled).CanRun);
    }

    [Fact]
    public void The_same_domain_imported_at_two_versions_is_refused_naming_both()
    {
        var model = new OnnxModelBuilder().Opset("", 17)
            .Input("X", ElementType.Float, "N", 2).Output("Y", ElementType.Float, "N", 2)
            .Node("Relu", ["X"], ["Y"]).Build();
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "ai.onnx", Version = 13 });

        var e = Assert.Throws<OnnxModelException>(() => InferenceSession.Load(model.ToByteArray()));

        Assert.Contains("ai.onnx twice with different versions (opsets 17 and 13)", e.Message, StringComparison.Ordinal);
        Assert.False(OnnxModelInspector.Inspect(model.ToByteArray()).CanRun);
    }

    [Fact]
    public void An_ml_domain_repeated_at_one_version_is_one_import()
    {
        var model = new OnnxModelBuilder().Opset("", 17).Opset("ai.onnx.ml", 3)
            .Input("X", ElementType.Float, "N", 2).Output("Y", ElementType.Float, "N", 2)
            .Node("Scaler", ["X"], ["Y"], a => a.Floats("offset", 1, 1).Floats("scale", 2, 2), domain: "ai.onnx.ml").Build();
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "ai.onnx.ml", Version = 3 });

        var session = InferenceSession.Load(model.ToByteArray());

        Assert.Equal(2, session.Opsets.Count);
        Assert.Equal([2f, 4f], ((OnnxTensor<float>)session.Run(new OnnxTensor<float>([2f, 3f], 1, 2))[0]).ToArray());
    }
}

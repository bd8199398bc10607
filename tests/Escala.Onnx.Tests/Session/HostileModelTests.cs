using Escala.Onnx.Building;
using Escala.Onnx.Inspection;
using Escala.Onnx.Protobuf;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Session;

/// <summary>Malformed, truncated and hostile files are refused with a clear error: never a crash, a hang or a huge allocation.</summary>
public sealed class HostileModelTests
{
    private static byte[] Valid() => new OnnxModelBuilder()
        .Opset("", 13)
        .Input("X", ElementType.Float, "N", 3)
        .Output("Y", ElementType.Float, "N", 2)
        .Initializer("W", new float[] { 1, 2, 3, 4, 5, 6 }, 3, 2)
        .Initializer("S", new long[] { -1, 2 }, 2)
        .Node("MatMul", ["X", "W"], ["H"])
        .Node("Reshape", ["H", "S"], ["R"])
        .Node("Relu", ["R"], ["Y"])
        .ToBytes();

    public static TheoryData<string, byte[], string> Refused() => new()
    {
        { "empty file", [], "empty" },
        { "text file", "name,age\nbob,3\n"u8.ToArray(), "not" },
        { "PNG header", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "not" },
        { "huge declared graph length", [0x08, 0x08, 0x3A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x01, 0x02], "declares" },
        { "varint longer than 10 bytes", [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], "varint" },
        { "field number zero", [0x00, 0x01], "field number" },
        { "group wire type", [0x0B, 0x0C], "wire type" },
        { "no graph", Model(m => m.Graph = null), "no graph" },
        { "no ir_version", Model(m => m.IrVersion = 0), "ir_version" },
        { "graphs nested 200 deep", DeepGraphs(200), "nested" },
        { "types nested 10000 deep", DeepTypes(10_000), "nested" },
        { "cycle", Build(b => b.Input("X", ElementType.Float, 2).Output("Y", ElementType.Float, 2).Node("Add", ["X", "B"], ["A"]).Node("Relu", ["A"], ["B"]).Node("Relu", ["A"], ["Y"])), "cycle" },
        { "missing input", Build(b => b.Input("X", ElementType.Float, 2).Output("Y", ElementType.Float, 2).Node("Add", ["X", "nowhere"], ["Y"])), "'nowhere'" },
        { "value produced twice", Build(b => b.Input("X", ElementType.Float, 2).Output("Y", ElementType.Float, 2).Node("Relu", ["X"], ["Y"]).Node("Relu", ["X"], ["Y"])), "more than once" },
        { "output nobody produces", Build(b => b.Input("X", ElementType.Float, 2).Output("Z", ElementType.Float, 2).Node("Relu", ["X"], ["Y"])), "'Z'" },
        { "unknown op", Build(b => b.Input("X", ElementType.Float, 2).Output("Y", ElementType.Float, 2).Node("Frobnicate", ["X"], ["Y"])), "Frobnicate" },
        { "unknown domain", Build(b => b.Opset("org.evil", 1).Input("X", ElementType.Float, 2).Output("Y", ElementType.Float, 2).Node("Relu", ["X"], ["Y"], domain: "org.evil")), "org.evil" },
        { "domain not imported", Build(b => b.Input("X", ElementType.Float, 2).Output("Y", ElementType.Float, 2).Node("Scaler", ["X"], ["Y"], domain: "ai.onnx.ml")), "does not import" },
        { "opset too new", Build(b => b.Opset("", 1000).Input("X", ElementType.Float, 2).Output("Y", ElementType.Float, 2).Node("Relu", ["X"], ["Y"])), "opset 1000" },
        { "external data", Model(m => { var w = m.Graph!.Initializer[0]; w.RawData = null; w.DataLocation = TensorProto.DataLocationExternal; w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "../../etc/passwd" }); }), "external" },
        { "initializer dims far beyond its data", Model(m => { var w = m.Graph!.Initializer[0]; w.Dims.Clear(); w.Dims.AddRange([1_000_000, 1_000_000]); }), "'W'" },
        { "negative dims", Model(m => m.Graph!.Initializer[0].Dims[0] = -3), "'W'" },
        { "sequence input", Build(b => b.Input("X", OnnxTypeInfo.Sequence(OnnxTypeInfo.Tensor(ElementType.Float))).Output("X", OnnxTypeInfo.Unknown)), "tensor inputs only" },
        { "bfloat16 input", Build(b => b.Input("X", ElementType.BFloat16, 2).Output("X", ElementType.BFloat16, 2)), "bfloat16" },
        { "attribute of the wrong kind", Build(b => b.Input("X", ElementType.Float, 2).Output("Y", ElementType.Float, 2).Node("LeakyRelu", ["X"], ["Y"], a => a.String("alpha", "big"))), "alpha" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_bad_file_is_refused_with_a_clear_message(string what, byte[] bytes, string expected)
    {
        var e = Assert.Throws<OnnxModelException>(() => InferenceSession.Load(bytes));

        Assert.Contains(expected, e.Message, StringComparison.OrdinalIgnoreCase);
        var report = OnnxModelInspector.Inspect(bytes);
        Assert.False(report.CanRun, what);
        Assert.NotNull(report.Error);
    }

    [Fact]
    public void Every_truncation_of_a_valid_model_is_refused_or_loads_never_crashes()
    {
        var bytes = Valid();
        for (var length = 0; length < bytes.Length; length++)
        {
            AssertLoadsOrRefuses(bytes[..length]);
        }
    }

    [Fact]
    public void Thousands_of_corrupted_models_are_refused_or_run_never_crash()
    {
        var valid = Valid();
        var random = new Random(12345);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = (byte[])valid.Clone();
            var flips = random.Next(1, 4);
            for (var f = 0; f < flips; f++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            AssertLoadsOrRefuses(bytes);
        }
    }

    [Fact]
    public void Random_bytes_are_refused_never_crash()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(1, 300)];
            random.NextBytes(bytes);
            AssertLoadsOrRefuses(bytes);
        }
    }

    [Fact]
    public void A_shape_that_would_exhaust_memory_fails_the_run_not_the_process()
    {
        var session = InferenceSession.Load(Build(b => b
            .Input("S", ElementType.Int64, 2)
            .Output("Y", ElementType.Float)
            .Node("ConstantOfShape", ["S"], ["Y"])));

        var e = Assert.Throws<OnnxRuntimeException>(() => session.Run(new OnnxTensor<long>([1 << 15, 1 << 14], 2)));

        Assert.Contains("limit", e.Message);
    }

    [Fact]
    public void A_huge_constant_is_neither_folded_nor_accepted_at_load()
    {
        // It used to load and fail at its first run; now its size, known from the constant, is refused at load
        // (issue 8: a model too large for one run's memory budget is refused at registration, naming the node).
        var bytes = Build(b => b
            .Initializer("S", new long[] { 100_000, 100_000 }, 2)
            .Input("X", ElementType.Float, 1)
            .Output("Y", ElementType.Float)
            .Node("ConstantOfShape", ["S"], ["Z"])
            .Node("Add", ["Z", "X"], ["Y"]));

        var e = Assert.Throws<OnnxModelException>(() => InferenceSession.Load(bytes));

        Assert.Contains("ConstantOfShape", e.Message, StringComparison.Ordinal);
        Assert.Contains("memory budget", e.Message, StringComparison.Ordinal);
    }

    private static void AssertLoadsOrRefuses(byte[] bytes)
    {
        InferenceSession session;
        try
        {
            session = InferenceSession.Load(bytes);
        }
        catch (OnnxModelException)
        {
            Assert.False(OnnxModelInspector.Inspect(bytes).CanRun);
            return;
        }

        Assert.True(OnnxModelInspector.Inspect(bytes).CanRun);
        try
        {
            session.Run([.. session.Inputs.Select(Input)]);
        }
        catch (OnnxException)
        {
            // A clear refusal at run time (a bad input or a node failing) is fine too.
        }
    }

    private static OnnxValue Input(OnnxValueInfo info)
    {
        var dims = info.Type.Shape?.Select(d => (int)Math.Min(d.Value ?? 2, 4)).ToArray() ?? [2];
        var length = dims.Aggregate(1, (a, b) => a * b);
        return info.Type.ElementType switch
        {
            ElementType.Float => new OnnxTensor<float>(new float[length], dims),
            ElementType.Int64 => new OnnxTensor<long>(new long[length], dims),
            ElementType.Double => new OnnxTensor<double>(new double[length], dims),
            ElementType.Int32 => new OnnxTensor<int>(new int[length], dims),
            ElementType.Bool => new OnnxTensor<bool>(new bool[length], dims),
            ElementType.String => new OnnxTensor<string>(Enumerable.Repeat("", length).ToArray(), dims),
            _ => new OnnxTensor<byte>(new byte[length], dims),
        };
    }

    private static byte[] Build(Action<OnnxModelBuilder> configure)
    {
        var builder = new OnnxModelBuilder();
        configure(builder);
        return builder.ToBytes();
    }

    private static byte[] Model(Action<ModelProto> mutate)
    {
        var model = ModelProto.Parse(Valid());
        mutate(model);
        return model.ToByteArray();
    }

    // ModelProto.graph -> node -> attribute -> g -> node -> ... written inside out, without recursion.
    private static byte[] DeepGraphs(int depth)
    {
        var inner = Array.Empty<byte>();
        for (var i = 0; i < depth; i++)
        {
            var attribute = Concat([0x0A, 0x01, (byte)'g'], Field(6, inner), [0xA0, 0x01, 0x05]);
            var node = Concat([0x22, 0x02, (byte)'I', (byte)'f'], Field(5, attribute));
            inner = Field(1, node);
        }

        return Concat([0x08, 0x08], Field(7, inner), Field(8, [0x10, 0x0D]));
    }

    // ModelProto.graph.input[0].type = sequence(sequence(sequence(...))).
    private static byte[] DeepTypes(int depth)
    {
        var type = Field(1, [0x08, 0x01]);
        for (var i = 0; i < depth; i++)
        {
            type = Field(4, Field(1, type));
        }

        var input = Concat([0x0A, 0x01, (byte)'X'], Field(2, type));
        return Concat([0x08, 0x08], Field(7, Field(11, input)), Field(8, [0x10, 0x0D]));
    }

    private static byte[] Field(int number, byte[] content)
    {
        var header = new List<byte> { (byte)((number << 3) | 2) };
        if (number >= 16)
        {
            header = [(byte)(((number << 3) | 2) | 0x80), (byte)(number >> 4)];
        }

        var length = (ulong)content.Length;
        while (length >= 0x80)
        {
            header.Add((byte)(length | 0x80));
            length >>= 7;
        }

        header.Add((byte)length);
        return [.. header, .. content];
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}

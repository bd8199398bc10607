using System.CommandLine;
using System.Text.Json;
using Escala.Cli.Onnx;
using Escala.Onnx.Building;
using Escala.Onnx.Tensors;

namespace Escala.Cli.Tests.Onnx;

public sealed class OnnxCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("escala-onnx-cli-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string WriteText(string name, string text) => Write(name, System.Text.Encoding.UTF8.GetBytes(text));

    // Y = X * 2 + 1 over [N, 2] floats.
    private string Model() => Write("affine.onnx", new OnnxModelBuilder()
        .Producer("tests", "1")
        .Input("X", ElementType.Float, "N", 2)
        .Output("Y", ElementType.Float, "N", 2)
        .Initializer("A", new float[] { 2 }, 1)
        .Initializer("B", new float[] { 1 }, 1)
        .Node("Mul", ["X", "A"], ["T"])
        .Node("Add", ["T", "B"], ["Y"])
        .ToBytes());

    private static (int Exit, string Output, string Error) Invoke(params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(OnnxCommand.Create());
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Info_shows_the_signature_opsets_and_supported_ops()
    {
        var (exit, output, _) = Invoke("onnx", "info", Model());

        Assert.Equal(0, exit);
        Assert.Contains("X: tensor(float)[N,2]", output);
        Assert.Contains("Y: tensor(float)[N,2]", output);
        Assert.Contains("ai.onnx 17", output);
        Assert.Matches(@"Mul\s+x1\s+supported", output);
        Assert.Contains("runnable:  yes", output);
    }

    [Fact]
    public void Info_names_an_unsupported_op_and_why()
    {
        var path = Write("conv.onnx", new OnnxModelBuilder()
            .Input("X", ElementType.Float, 1, 1, 4, 4)
            .Output("Y", ElementType.Float)
            .Node("Conv", ["X", "X"], ["Y"])
            .ToBytes());

        var (exit, output, _) = Invoke("onnx", "info", path, "--json");

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.False(doc.RootElement.GetProperty("runnable").GetBoolean());
        var conv = doc.RootElement.GetProperty("operators")[0];
        Assert.Equal("Conv", conv.GetProperty("op_type").GetString());
        Assert.False(conv.GetProperty("supported").GetBoolean());
        Assert.Contains("not implemented", conv.GetProperty("reason").GetString());
        using var affine = JsonDocument.Parse(Invoke("onnx", "info", Model(), "--json").Output);
        var shape = affine.RootElement.GetProperty("inputs")[0].GetProperty("shape");
        Assert.Equal("N", shape[0].GetString());
        Assert.Equal(2, shape[1].GetInt32());
    }

    [Fact]
    public void Info_on_a_file_that_is_not_a_model_fails_with_a_message_not_a_stack_trace()
    {
        var (exit, _, error) = Invoke("onnx", "info", WriteText("notes.onnx", "just some text"));

        Assert.Equal(1, exit);
        Assert.StartsWith("error: notes.onnx:", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("Exception", error);
    }

    [Fact]
    public void Run_answers_a_v2_request_with_a_v2_response()
    {
        var request = WriteText("req.json", """{"id":"r7","inputs":[{"name":"X","shape":[2,2],"datatype":"FP32","data":[1,2,3,"NaN"]}]}""");

        var (exit, output, _) = Invoke("onnx", "run", Model(), "--input", request);

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("affine", doc.RootElement.GetProperty("model_name").GetString());
        Assert.Equal("r7", doc.RootElement.GetProperty("id").GetString());
        var y = doc.RootElement.GetProperty("outputs")[0];
        Assert.Equal("Y", y.GetProperty("name").GetString());
        Assert.Equal("[2,2]", y.GetProperty("shape").GetRawText());
        Assert.Equal("""[3,5,7,"NaN"]""", y.GetProperty("data").GetRawText());
    }

    [Theory]
    [InlineData("""{"inputs":[{"name":"X","shape":[2,3],"datatype":"FP32","data":[1,2,3,4,5,6]}]}""", "'X'")]
    [InlineData("""{"inputs":[{"name":"X","shape":[1,2],"datatype":"FP64","data":[1,2]}]}""", "FP64")]
    [InlineData("""{"inputs":[{"name":"Z","shape":[1,2],"datatype":"FP32","data":[1,2]}]}""", "'Z'")]
    [InlineData("""{"inputs":[""", "JSON")]
    [InlineData("""{"inputs":[{"name":"X","shape":[1,2],"datatype":"FP32","data":[1,2]}],"outputs":[{"name":"nope"}]}""", "'nope'")]
    public void Run_refuses_a_bad_request_with_exit_2_and_a_clear_message(string json, string mentioned)
    {
        var (exit, output, error) = Invoke("onnx", "run", Model(), "--input", WriteText("bad.json", json));

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains(mentioned, error);
        Assert.StartsWith("error:", error);
    }

    [Fact]
    public void Run_with_a_missing_request_file_says_which_file()
    {
        var (exit, _, error) = Invoke("onnx", "run", Model(), "--input", Path.Combine(_dir.FullName, "absent.json"));

        Assert.Equal(2, exit);
        Assert.Contains("absent.json", error);
    }

    [Fact]
    public void Bench_prints_one_json_line_with_latency_and_throughput()
    {
        var (exit, output, _) = Invoke("onnx", "bench", Model(), "--batch", "8", "--iters", "20", "--warmup", "2");

        Assert.Equal(0, exit);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        Assert.Equal(8, root.GetProperty("batch").GetInt32());
        Assert.Equal(20, root.GetProperty("iters").GetInt32());
        Assert.True(root.GetProperty("p50_us").GetDouble() > 0);
        Assert.True(root.GetProperty("p99_us").GetDouble() >= root.GetProperty("p50_us").GetDouble());
        Assert.True(root.GetProperty("rows_per_s").GetDouble() > 0);
    }

    [Fact]
    public void Bench_uses_the_rows_of_an_inputs_file_in_the_reference_tools_format()
    {
        var rows = WriteText("rows.json", """{"X":{"type":"float32","dims":[4,2],"data":[1,2,3,4,5,6,"NaN",8]}}""");

        var ok = Invoke("onnx", "bench", Model(), "--batch", "2", "--iters", "5", "--inputs", rows);
        var tooFew = Invoke("onnx", "bench", Model(), "--batch", "5", "--iters", "5", "--inputs", rows);
        var wrongType = Invoke("onnx", "bench", Model(), "--inputs", WriteText("t.json", """{"X":{"type":"int64","dims":[1,2],"data":[1,2]}}"""));

        Assert.Equal(0, ok.Exit);
        Assert.Equal(2, tooFew.Exit);
        Assert.Contains("fewer than --batch 5", tooFew.Error);
        Assert.Equal(2, wrongType.Exit);
        Assert.Contains("int64", wrongType.Error);
    }

    [Fact]
    public void Bench_refuses_a_dynamic_dim_it_cannot_size()
    {
        var path = Write("wide.onnx", new OnnxModelBuilder()
            .Input("X", ElementType.Float, "N", "F")
            .Output("Y", ElementType.Float, "N", "F")
            .Node("Relu", ["X"], ["Y"])
            .ToBytes());

        var refused = Invoke("onnx", "bench", path, "--iters", "3");
        var sized = Invoke("onnx", "bench", path, "--iters", "3", "--dim", "F=5");

        Assert.Equal(2, refused.Exit);
        Assert.Contains("--dim F=VALUE", refused.Error);
        Assert.Equal(0, sized.Exit);
    }
}

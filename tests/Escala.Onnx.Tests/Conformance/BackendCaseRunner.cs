using System.Globalization;
using Escala.Onnx.Protobuf;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Conformance;

/// <summary>
/// Runs one backend case folder: loads <c>model.onnx</c> (a model the engine refuses is "unsupported"),
/// feeds <c>test_data_set_0/input_K.pb</c> positionally and compares each output with
/// <c>output_K.pb</c> by the ONNX runner's rule: same shape and element type,
/// |actual - expected| &lt;= atol + rtol * |expected|, NaN equal to NaN, everything else exact.
/// </summary>
internal static class BackendCaseRunner
{
    public const double Rtol = 1e-3;
    public const double Atol = 1e-7;

    public static CaseResult Run(BackendCase testCase, string folder, OnnxSessionOptions? options = null)
    {
        InferenceSession session;
        try
        {
            session = InferenceSession.LoadFile(Path.Combine(folder, "model.onnx"), options);
        }
        catch (OnnxModelException e)
        {
            return new CaseResult(testCase, CaseStatus.Unsupported, e.Message);
        }
        catch (Exception e)
        {
            return new CaseResult(testCase, CaseStatus.Fail, $"load crashed: {e.GetType().Name}: {e.Message}");
        }

        var data = Path.Combine(folder, "test_data_set_0");
        try
        {
            var inputs = Enumerable.Range(0, session.Inputs.Count).Select(i => Read(Path.Combine(data, $"input_{i}.pb"))).ToArray();
            var outputs = session.Run(inputs);
            for (var i = 0; i < outputs.Length; i++)
            {
                var expected = Read(Path.Combine(data, $"output_{i}.pb"));
                if (Compare(outputs[i], expected) is { } problem)
                {
                    return new CaseResult(testCase, CaseStatus.Fail, $"output {i} ('{session.Outputs[i].Name}'): {problem}");
                }
            }

            return new CaseResult(testCase, CaseStatus.Pass, string.Empty);
        }
        catch (Exception e)
        {
            return new CaseResult(testCase, CaseStatus.Fail, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static OnnxValue Read(string path) => TensorProtoConverter.ToTensor(TensorProto.Parse(File.ReadAllBytes(path)));

    private static string? Compare(OnnxValue actualValue, OnnxValue expectedValue)
    {
        if (actualValue is not OnnxTensor actual || expectedValue is not OnnxTensor expected)
        {
            return $"expected {expectedValue.Type}, got {actualValue.Type}";
        }

        if (actual.ElementType != expected.ElementType)
        {
            return $"element type {ElementTypes.Name(actual.ElementType)}, expected {ElementTypes.Name(expected.ElementType)}";
        }

        if (!actual.Shape.SequenceEqual(expected.Shape))
        {
            return $"shape [{TensorShape.Format(actual.Shape)}], expected [{TensorShape.Format(expected.Shape)}]";
        }

        var a = Values(actual);
        var e = Values(expected);
        var bad = 0;
        var first = -1;
        for (var i = 0; i < a.Length; i++)
        {
            if (!Close(a[i], e[i]))
            {
                bad++;
                first = first < 0 ? i : first;
            }
        }

        return bad == 0 ? null : $"{bad} of {a.Length} values differ; first at {first}: got {Show(a[first])}, expected {Show(e[first])}";
    }

    private static bool Close(object? actual, object? expected)
    {
        if (actual is double x && expected is double y)
        {
            if (double.IsNaN(x) || double.IsNaN(y))
            {
                return double.IsNaN(x) && double.IsNaN(y);
            }

            if (double.IsInfinity(x) || double.IsInfinity(y))
            {
                return x == y;
            }

            return Math.Abs(x - y) <= Atol + (Rtol * Math.Abs(y));
        }

        return Equals(actual, expected);
    }

    private static string Show(object? v) => v switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => $"\"{s}\"",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "null",
    };

    // Floats compare as doubles under the tolerance; integers, bools and strings exactly.
    private static object?[] Values(OnnxTensor t) => t switch
    {
        OnnxTensor<float> x => [.. x.ToArray().Select(v => (object?)(double)v)],
        OnnxTensor<double> x => [.. x.ToArray().Select(v => (object?)v)],
        OnnxTensor<Half> x => [.. x.ToArray().Select(v => (object?)(double)v)],
        OnnxTensor<long> x => [.. x.ToArray().Select(v => (object?)v)],
        OnnxTensor<int> x => [.. x.ToArray().Select(v => (object?)v)],
        OnnxTensor<short> x => [.. x.ToArray().Select(v => (object?)v)],
        OnnxTensor<sbyte> x => [.. x.ToArray().Select(v => (object?)v)],
        OnnxTensor<byte> x => [.. x.ToArray().Select(v => (object?)v)],
        OnnxTensor<ushort> x => [.. x.ToArray().Select(v => (object?)v)],
        OnnxTensor<uint> x => [.. x.ToArray().Select(v => (object?)v)],
        OnnxTensor<ulong> x => [.. x.ToArray().Select(v => (object?)v)],
        OnnxTensor<bool> x => [.. x.ToArray().Select(v => (object?)v)],
        OnnxTensor<string> x => [.. x.ToArray().Select(v => (object?)v)],
        _ => throw new NotSupportedException(t.ToString()),
    };
}

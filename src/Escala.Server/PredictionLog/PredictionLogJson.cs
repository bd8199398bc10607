using System.Buffers;
using System.Text.Json;
using Escala.Core.Routing;
using Escala.Onnx.Tensors;
using Escala.Server.Predictions;

namespace Escala.Server.PredictionLog;

/// <summary>The JSON a prediction log line keeps for outputs: one object per row, as the records API answers.</summary>
public static class PredictionLogJson
{
    /// <summary>The outputs as a JSON array of rows.</summary>
    public static byte[] Outputs(IReadOnlyList<OnnxValueInfo> order, IReadOnlyDictionary<string, OnnxValue> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            RecordsAnswer.WritePredictions(writer, order, outputs, RowsOf(outputs));
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A failed attempt: <c>{"failure": "timeout", "detail": "..."}</c>.</summary>
    public static byte[] Failure(AttemptFailure failure, string? detail)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("failure", failure.ToString().ToLowerInvariant());
            writer.WriteString("detail", detail);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The row count of a set of outputs: the first dimension of the first tensor, or the count of the first map sequence.</summary>
    public static int RowsOf(IReadOnlyDictionary<string, OnnxValue> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        foreach (var value in outputs.Values)
        {
            switch (value)
            {
                case OnnxTensor { Rank: >= 1 } t:
                    return t.Dim(0);
                case OnnxMapSequence m:
                    return m.Count;
            }
        }

        return 1;
    }
}

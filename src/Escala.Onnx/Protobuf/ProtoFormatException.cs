namespace Escala.Onnx.Protobuf;

/// <summary>The bytes are not a well-formed protocol buffers message (truncated, bad varint, too deep).</summary>
public sealed class ProtoFormatException(string message) : FormatException(message);

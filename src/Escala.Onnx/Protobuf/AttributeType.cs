namespace Escala.Onnx.Protobuf;

/// <summary>ONNX <c>AttributeProto.AttributeType</c>.</summary>
public enum AttributeType
{
    /// <summary>Not set.</summary>
    Undefined = 0,
    /// <summary>One float.</summary>
    Float = 1,
    /// <summary>One int64.</summary>
    Int = 2,
    /// <summary>One string (bytes).</summary>
    String = 3,
    /// <summary>One tensor.</summary>
    Tensor = 4,
    /// <summary>One graph.</summary>
    Graph = 5,
    /// <summary>Floats.</summary>
    Floats = 6,
    /// <summary>Int64s.</summary>
    Ints = 7,
    /// <summary>Strings.</summary>
    Strings = 8,
    /// <summary>Tensors.</summary>
    Tensors = 9,
    /// <summary>Graphs.</summary>
    Graphs = 10,
    /// <summary>One sparse tensor.</summary>
    SparseTensor = 11,
    /// <summary>Sparse tensors.</summary>
    SparseTensors = 12,
    /// <summary>One type.</summary>
    TypeProto = 13,
    /// <summary>Types.</summary>
    TypeProtos = 14,
}

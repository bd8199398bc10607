namespace Escala.Server.Protocol;

/// <summary>What is wrong with an inference request body; stable, so the gateway maps each to one problem type.</summary>
public enum ProtocolErrorKind
{
    /// <summary>The body is not well-formed JSON.</summary>
    InvalidJson,
    /// <summary>A required member (inputs, name, shape, datatype, data) is missing or of the wrong JSON kind.</summary>
    MissingField,
    /// <summary>The datatype is not one the protocol or the engine knows.</summary>
    UnknownDatatype,
    /// <summary>A data element cannot be read as the declared datatype (e.g. a string in FP32 data, an out-of-range integer).</summary>
    InvalidValue,
    /// <summary>The shape is invalid or does not match the number of data elements.</summary>
    ShapeMismatch,
    /// <summary>An input name the model does not have.</summary>
    UnknownInput,
    /// <summary>The same input given twice.</summary>
    DuplicateInput,
    /// <summary>An input the model needs was not given.</summary>
    MissingInput,
    /// <summary>The datatype differs from the model's input type.</summary>
    DatatypeMismatch,
    /// <summary>The shape does not fit the model's declared dims.</summary>
    ShapeNotAccepted,
    /// <summary>A protocol feature the server does not implement (e.g. binary tensor data).</summary>
    Unsupported,
}

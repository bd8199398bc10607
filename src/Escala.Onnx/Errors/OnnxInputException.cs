namespace Escala.Onnx;

/// <summary>An input given to <see cref="InferenceSession.Run(IReadOnlyDictionary{string, Tensors.OnnxValue})"/> is missing or does not match the model's signature.</summary>
public sealed class OnnxInputException(string inputName, string message) : OnnxException(message)
{
    /// <summary>The input at fault.</summary>
    public string InputName { get; } = inputName;
}

namespace Escala.Onnx;

/// <summary>The base of every error the engine raises on purpose: catch this to handle all of them.</summary>
public abstract class OnnxException : Exception
{
    private protected OnnxException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

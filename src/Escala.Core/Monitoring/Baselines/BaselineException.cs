namespace Escala.Core.Monitoring.Baselines;

/// <summary>A baseline could not be built from the reference data, or a stored baseline is malformed. The message says what to fix.</summary>
public sealed class BaselineException : Exception
{
    /// <summary>Creates the exception with a message that names the column and the problem.</summary>
    public BaselineException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the underlying cause.</summary>
    public BaselineException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

using Escala.Core.PredictionLog;

namespace Escala.Core.Privacy;

/// <summary>A transformation every prediction log line goes through before it is queued for writing (personal-data policies).</summary>
public interface IPredictionLogPolicy
{
    /// <summary>The line as it may be written.</summary>
    PredictionRecord Apply(PredictionRecord record);
}

namespace Escala.Onnx;

/// <summary>Total time one node took over <see cref="Runs"/> runs (see <see cref="OnnxSessionOptions.CollectNodeTimings"/>).</summary>
public sealed record OnnxNodeTiming(string NodeName, string OpType, TimeSpan Total, long Runs)
{
    /// <summary>Mean time per run.</summary>
    public TimeSpan PerRun => Runs == 0 ? TimeSpan.Zero : Total / Runs;
}

namespace Escala.Core.Monitoring.Accuracy;

/// <summary>Ground-truth metrics of a regressor over a window.</summary>
/// <param name="Count">Labelled predictions.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="Rmse">Root mean squared error.</param>
/// <param name="R2">Coefficient of determination 1 - SSE/SST (SST around the window's mean of the true values); NaN when SST is 0.</param>
public sealed record RegressionMetrics(long Count, double Mae, double Rmse, double R2);

namespace Escala.Training.Trainers;

/// <summary>A training job that cannot run as asked (a missing column, a task the trainer does not do); the message says what to fix.</summary>
public sealed class TrainingException(string message) : Exception(message);

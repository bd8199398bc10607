using Escala.Core.Datasets;
using Escala.Core.Pipelines;
using Escala.Core.Registry;
using Escala.Server.Scheduling;
using Escala.Storage;
using Escala.Training.Datasets;
using Escala.Training.Pipelines;
using Escala.Training.Pipelines.Steps;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Training;

/// <summary>Registration of datasets, pipelines, their steps and the scheduled jobs that run and trigger them.</summary>
public static class TrainingServices
{
    /// <summary>Adds continuous training.</summary>
    public static IServiceCollection AddTraining(this IServiceCollection services)
    {
        services.AddSingleton<DatasetCatalog>();
        services.AddSingleton<RunCancellation>();
        services.AddSingleton<PipelineCatalog>();
        services.AddSingleton<IPipelineStep, TrainStep>();
        services.AddSingleton<IPipelineStep, EvaluateStep>();
        services.AddSingleton<IPipelineStep, GateStep>();
        services.AddSingleton<IPipelineStep, RegisterStep>();
        services.AddSingleton(sp => new PipelineServices(
            sp.GetRequiredService<IPipelineStore>(), sp.GetRequiredService<IDatasetStore>(), sp.GetRequiredService<Core.Artifacts.IArtifactStore>(),
            sp.GetRequiredService<ModelRegistry>(), sp.GetRequiredService<TimeProvider>(),
            Path.Combine(sp.GetRequiredService<DataFolder>().Root, "pipelines", "work")));
        services.AddSingleton<PipelineRunner>();
        services.AddScheduledJob<PipelineRunJob>();
        services.AddScheduledJob<PipelineTriggerJob>();
        return services;
    }
}

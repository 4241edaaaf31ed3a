using Backprop.Data;

namespace Backprop.Training;

/// <summary>
/// One batch as <see cref="ModuleTraining.Evaluate(NN.Module, IDataSource, Losses.Loss?, Action{EvaluatedBatch}?, int)"/>
/// saw it: the examples and what the model predicted for them, handed to the caller's hook so it can keep what it needs
/// (points for a plot, the worst errors, per-example outputs) in the same pass that measures the model.
/// </summary>
/// <remarks>
/// Valid only during the hook's call: the source may recycle the batch's storage for the next one (see
/// <see cref="IDataSource"/>), so copy what must outlive it (<see cref="Tensor.ToDoubleArray"/>), and do not change
/// the tensors, which the evaluation still reads.
/// </remarks>
public sealed class EvaluatedBatch
{
    internal EvaluatedBatch(Batch batch, Tensor predictions)
    {
        Batch = batch;
        Predictions = predictions;
    }

    /// <summary>The examples as the source gave them: <see cref="Batch.Inputs"/>, and <see cref="Batch.Labels"/> or <see cref="Batch.Targets"/>.</summary>
    public Batch Batch { get; }

    /// <summary>
    /// The model's outputs for the batch, [<see cref="Batch.Count"/>, …], with evaluation semantics: what
    /// <see cref="ModuleTraining.Predict(NN.Module, Tensor, int)"/> gives for <see cref="Batch.Inputs"/> (logits for a
    /// classifier; for a regression, values to compare with <see cref="Batch.Targets"/>).
    /// </summary>
    public Tensor Predictions { get; }
}

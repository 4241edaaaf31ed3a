using Backprop.NN;

namespace Backprop.Training;

/// <summary>Explains a loss that went NaN or infinite during <see cref="ModuleTraining.Fit"/>: where it happened and which layer caused it.</summary>
internal static class NonFiniteLoss
{
    /// <summary>The history's stop reason: the loss, the epoch and batch, and the first layer whose output is not finite.</summary>
    public static string Reason(Module model, Tensor inputs, double value, int epoch, int batchNumber) =>
        $"the loss became {value} at epoch {epoch}, batch {batchNumber}; {Source(model, inputs)}";

    /// <summary>Names the first layer of a Sequential model whose output is not finite for these inputs.</summary>
    private static string Source(Module model, Tensor inputs)
    {
        if (model is not Sequential sequential) return "the model's output is not finite";
        using (Tensor.NoGrad())
        {
            var x = inputs;
            for (int i = 0; i < sequential.Count; i++)
            {
                x = sequential[i].Forward(x);
                if (x.ToDoubleArray().Any(v => !double.IsFinite(v)))
                    return $"the first non-finite output comes from layer {i} ({sequential[i]})";
            }
        }
        return "every layer's output is finite, so the loss itself overflowed";
    }
}

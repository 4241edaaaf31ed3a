using Backprop.NN;
using Backprop.Optimizers;

namespace Backprop.Cli.Benchmarking;

/// <summary>mlp_train and mlp_train_big: a ReLU MLP, cross-entropy, plain SGD at lr 0.1, reshuffled every epoch.</summary>
internal sealed class MlpTraining(string name, int[] sizes, int batch, int epochs) : TrainingWorkload(name)
{
    public override IEnumerable<BenchResult> Run(WorkloadContext context)
    {
        Rng.ManualSeed(context.Seed);
        var model = ReluMlp.Build(sizes);
        return [Train(model, context.Train, context.Test, batch, epochs, new Sgd(model.Parameters(), 0.1), context.Seed)];
    }
}

using Backprop.NN;
using Backprop.Optimizers;

namespace Backprop.Cli.Benchmarking;

/// <summary>
/// cnn_train: Conv2d(1,8,3,p1)-ReLU-MaxPool2-Conv2d(8,16,3,p1)-ReLU-MaxPool2-Flatten-Dense(784,10), SGD lr 0.05
/// momentum 0.9, batch 64, 2 epochs.
/// </summary>
internal sealed class CnnTraining() : TrainingWorkload("cnn_train")
{
    public override IEnumerable<BenchResult> Run(WorkloadContext context)
    {
        Rng.ManualSeed(context.Seed);
        var model = new Sequential(
            new Conv2d(1, 8, 3, padding: 1), new ReLU(), new MaxPool2d(2),
            new Conv2d(8, 16, 3, padding: 1), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Dense(16 * 7 * 7, 10));
        return [Train(model, context.TrainImages, context.TestImages, batch: 64, epochs: 2, new Sgd(model.Parameters(), 0.05, momentum: 0.9), context.Seed)];
    }
}

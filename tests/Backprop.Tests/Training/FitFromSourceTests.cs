using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;

namespace Backprop.Tests.Training;

/// <summary>Training, evaluation and prediction read any <see cref="IDataSource"/>, not only a <see cref="Dataset"/>.</summary>
public class FitFromSourceTests
{
    /// <summary>
    /// A source that is not a Dataset: it copies each of a Dataset's batches into fresh tensors, as a file reader
    /// would, and may hide its size, as a stream that has not been read through does.
    /// </summary>
    private sealed class StreamedCopy(Dataset data, bool knowsCount) : IDataSource
    {
        public IReadOnlyList<int> ExampleShape => data.ExampleShape;

        public int ClassCount => data.ClassCount;

        public int? Count => knowsCount ? data.Count : null;

        public IEnumerable<Batch> Batches(int epoch, int batchSize, bool shuffle, int seed)
        {
            foreach (var batch in data.Batches(epoch, batchSize, shuffle, seed))
            {
                var inputs = Tensor.FromArray(batch.Inputs.ToFloatArray(), batch.Inputs.Shape);
                yield return batch with { Inputs = inputs, Labels = batch.Labels?.ToArray() };
            }
        }
    }

    private static Dataset Blobs(int count) => FitTests.Blobs(count, seed: 7);

    private static (History History, float[] Weights) Train(IDataSource train, IDataSource validation, List<int?>? batchCounts = null)
    {
        var model = new Sequential(new Dense(2, 8, seed: 3), new ReLU(), new Dense(8, 3, seed: 4));
        var history = model.Fit(train, new FitOptions
        {
            Epochs = 3, BatchSize = 16, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.1, momentum: 0.9),
            Seed = 5, Validation = validation, OnBatchEnd = batch => batchCounts?.Add(batch.BatchCount),
        });
        return (history, [.. model.Parameters().SelectMany(p => p.ToFloatArray())]);
    }

    [Fact]
    public void Fit_OnAStreamedSource_TrainsBitForBitAsOnTheDatasetItsBatchesComeFrom()
    {
        var (train, validation) = (Blobs(120), Blobs(30));
        var counts = new List<int?>();

        var inMemory = Train(train, validation);
        var streamed = Train(new StreamedCopy(train, knowsCount: false), new StreamedCopy(validation, knowsCount: false), counts);

        Assert.Equal(inMemory.Weights, streamed.Weights);
        Assert.Equal(inMemory.History.Loss, streamed.History.Loss);
        Assert.Equal(inMemory.History.Epochs.Select(e => e.ValidationAccuracy), streamed.History.Epochs.Select(e => e.ValidationAccuracy));
        Assert.All(counts, count => Assert.Null(count));
        Assert.Equal(3 * 8, counts.Count);
    }

    [Fact]
    public void Fit_ReportsTheBatchCount_WhenTheSourceKnowsItsSize()
    {
        var counts = new List<int?>();
        Train(new StreamedCopy(Blobs(100), knowsCount: true), Blobs(10), counts);
        Assert.All(counts, count => Assert.Equal(7, count));
    }

    [Fact]
    public void Fit_OnASourceThatGivesNoExamples_SaysSo()
    {
        var empty = new Dataset(Tensor.Zeros(0, 2), []);
        var model = new Sequential(new Dense(2, 2, seed: 1));
        var options = new FitOptions { Epochs = 1, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.1) };
        var error = Assert.Throws<ArgumentException>(() => model.Fit(new StreamedCopy(empty, knowsCount: false), options));
        Assert.Contains("gave no examples", error.Message);
    }

    [Fact]
    public void EvaluateAndPredictBatches_OnAStreamedSource_AgreeWithTheDataset()
    {
        var data = Blobs(70);
        var model = new Sequential(new Dense(2, 5, seed: 1), new Tanh(), new Dense(5, 3, seed: 2));

        var inMemory = model.Evaluate(data, new CrossEntropyLoss(), batchSize: 16);
        var streamed = model.Evaluate(new StreamedCopy(data, knowsCount: false), new CrossEntropyLoss(), batchSize: 16);

        Assert.Equal(inMemory.Loss, streamed.Loss);
        Assert.Equal(70, streamed.Count);
        Assert.Equal(inMemory.Accuracy, streamed.Accuracy);
        var batches = model.PredictBatches(new StreamedCopy(data, knowsCount: false), batchSize: 32).ToList();
        Assert.Equal([32, 32, 6], batches.Select(b => b.Shape[0]));
        Assert.Equal(model.Predict(data.Inputs).ToFloatArray(), batches.SelectMany(b => b.ToFloatArray()));
    }

    public static TheoryData<string, Reduction> LibraryLosses() => new()
    {
        { "mse", Reduction.Mean }, { "mse", Reduction.Sum }, { "mae", Reduction.Mean }, { "mae", Reduction.Sum },
        { "huber", Reduction.Mean }, { "huber", Reduction.Sum }, { "bce", Reduction.Mean }, { "bce", Reduction.Sum },
        { "cross-entropy", Reduction.Mean }, { "cross-entropy", Reduction.Sum }, { "squared-error", Reduction.Sum },
    };

    [Theory]
    [MemberData(nameof(LibraryLosses))]
    public void Evaluate_OfEachLibraryLoss_AddsUpOverTheBatchesOfAStream_ToItsLossOverAllExamplesAtOnce(string name, Reduction reduction)
    {
        // 70 examples in batches of 16 (the last of 6): each loss must say whether it is a mean or a sum for the batches to add up.
        var data = Blobs(70);
        var model = new Sequential(new Dense(2, 5, seed: 1), new Tanh(), new Dense(5, 3, seed: 2), new Sigmoid());
        Loss loss = name switch
        {
            "mse" => new MseLoss(reduction),
            "mae" => new MaeLoss(reduction),
            "huber" => new HuberLoss(0.2, reduction),
            "bce" => new BceLoss(reduction),
            "cross-entropy" => new CrossEntropyLoss(reduction),
            _ => new SquaredErrorLoss(),
        };
        double whole = ModuleTraining.LossOf(loss, model.Predict(data.Inputs), data.Batches(0, 70, shuffle: false, seed: 0).Single()).Item();

        double streamed = model.Evaluate(new StreamedCopy(data, knowsCount: false), loss, batchSize: 16).Loss;

        Assert.Equal(whole, streamed, Math.Abs(whole) * 1e-5);
    }

    [Fact]
    public void Evaluate_OfALossWithoutAReductionOnAStream_IsRefusedClearly()
    {
        var data = Blobs(9);
        var model = new Sequential(new Dense(2, 3, seed: 1));
        var error = Assert.Throws<NotSupportedException>(() => model.Evaluate(new StreamedCopy(data, knowsCount: true), new CrossEntropyLoss(Reduction.None)));
        Assert.Contains("CrossEntropyLoss", error.Message);
    }
}

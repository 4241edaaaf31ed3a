using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;

namespace Backprop.Tests.Training;

/// <summary>
/// Fit with a CancellationToken: it stops after the step under way and the model holds the weights of the last completed
/// epoch (or the best one under early stopping), checked against an uncancelled run of that many epochs.
/// </summary>
public class FitCancellationTests
{
    private static Sequential Network() => new(new Dense(2, 8, seed: 3), new BatchNorm1d(8), new ReLU(), new Dense(8, 3, seed: 4));

    private static FitOptions Options(Module model, int epochs, Action<BatchResult>? onBatchEnd = null, IDataSource? validation = null, Stop? stop = null) => new()
    {
        Epochs = epochs, BatchSize = 16, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.1, momentum: 0.9), Seed = 9,
        OnBatchEnd = onBatchEnd, Validation = validation, StopWhen = stop,
    };

    [Fact]
    public void CancelledInTheThirdEpoch_HoldsTheSecondEpochsWeights_AndBuffers()
    {
        var data = FitTests.Blobs(200, seed: 5);
        var reference = Network();
        reference.Fit(data, Options(reference, epochs: 2));

        using var cancellation = new CancellationTokenSource();
        var model = Network();
        var error = Assert.Throws<TrainingCanceledException>(() => model.Fit(data, Options(model, 10, batch =>
        {
            if (batch.Epoch == 3 && batch.Batch == 2) cancellation.Cancel();
        }), cancellation.Token));

        Assert.Equal(2, error.WeightsEpoch);
        Assert.Equal(2, error.History.Epochs.Count);
        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.IsAssignableFrom<OperationCanceledException>(error);
        AssertSameWeights(reference, model);
    }

    [Fact]
    public void CancelledBeforeTheFirstStep_KeepsTheInitialWeights()
    {
        var model = Network();
        var initial = Network();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        var error = Assert.Throws<TrainingCanceledException>(() => model.Fit(FitTests.Blobs(64, seed: 1), Options(model, 3), cancellation.Token));

        Assert.Null(error.WeightsEpoch);
        Assert.Empty(error.History.Epochs);
        AssertSameWeights(initial, model);
    }

    [Fact]
    public void CancelledUnderEarlyStopping_HoldsTheBestEpochsWeights()
    {
        var data = FitTests.Blobs(200, seed: 5);
        // Validation labels rotated by one class: the better the model fits, the worse its validation loss, so the best
        // epoch is an early one and not the last completed.
        var clean = FitTests.Blobs(60, seed: 6);
        var validation = new Dataset(clean.Inputs, [.. clean.Labels!.Select(label => (label + 1) % 3)]);
        using var cancellation = new CancellationTokenSource();
        var model = Network();
        var error = Assert.Throws<TrainingCanceledException>(() => model.Fit(data, Options(model, 10, batch =>
        {
            if (batch.Epoch == 5 && batch.Batch == 1) cancellation.Cancel();
        }, validation, Stop.NoImprovement(patience: 10)), cancellation.Token));

        var losses = error.History.ValidationLoss;
        int best = losses.ToList().IndexOf(losses.Min()) + 1;
        Assert.Equal(4, losses.Count);
        Assert.Equal(best, error.WeightsEpoch);
        Assert.NotEqual(4, best);
        var reference = Network();
        reference.Fit(data, Options(reference, best, validation: validation));
        // Early stopping keeps the best epoch's parameters (its buffers are those of the last completed epoch).
        foreach (var ((name, expected), (_, actual)) in reference.NamedParameters().Zip(model.NamedParameters()))
            Assert.True(expected.ToFloatArray().SequenceEqual(actual.ToFloatArray()), name);
    }

    [Fact]
    public void TokenNeverCancelled_TrainsAsWithoutOne()
    {
        var data = FitTests.Blobs(100, seed: 2);
        var plain = Network();
        var withToken = Network();
        using var cancellation = new CancellationTokenSource();

        var expected = plain.Fit(data, Options(plain, 3)).Loss;
        var actual = withToken.Fit(data, Options(withToken, 3), cancellation.Token).Loss;

        Assert.Equal(expected, actual);
        AssertSameWeights(plain, withToken);
    }

    private static void AssertSameWeights(Module expected, Module actual)
    {
        foreach (var ((name, left), (_, right)) in expected.NamedParameters().Concat(expected.NamedBuffers()).Zip(actual.NamedParameters().Concat(actual.NamedBuffers())))
            Assert.True(left.ToFloatArray().SequenceEqual(right.ToFloatArray()), name);
    }
}

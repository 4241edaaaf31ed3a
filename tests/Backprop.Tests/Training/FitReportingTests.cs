using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;
using Microsoft.Extensions.Logging;

namespace Backprop.Tests.Training;

/// <summary>Fit reports as .NET libraries do: each epoch to an <see cref="IProgress{T}"/>, summaries and warnings to an <see cref="ILogger"/>.</summary>
public sealed class FitReportingTests
{
    [Fact]
    public void Progress_ReceivesEveryEpochsResult_InOrder_BeforeFitReturns()
    {
        var reported = new List<EpochResult>();
        var model = new Sequential(new Dense(2, 3, seed: 1));
        var history = model.Fit(FitTests.Blobs(30, seed: 2), new FitOptions
        {
            Epochs = 4, BatchSize = 10, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.1),
            Progress = new Synchronous<EpochResult>(reported.Add),
        });

        Assert.Equal(history.Epochs, reported);
    }

    [Fact]
    public void Logger_ReceivesAnEpochSummaryPerEpoch_ThenWhyTrainingStopped()
    {
        var logger = new RecordingLogger();
        var model = new Sequential(new Dense(2, 3, seed: 1));
        var history = model.Fit(FitTests.Blobs(30, seed: 2), new FitOptions
        {
            Epochs = 3, BatchSize = 10, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.1),
            Validation = FitTests.Blobs(12, seed: 5), Logger = logger,
        });

        Assert.Equal([1, 1, 1, 2], logger.Entries.Select(e => e.EventId));
        Assert.All(logger.Entries, e => Assert.Equal(LogLevel.Information, e.Level));
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var values = logger.Entries[epoch].Values;
            Assert.Equal(epoch + 1, values["Epoch"]);
            Assert.Equal(3, values["Epochs"]);
            Assert.Equal(history.Epochs[epoch].Loss, values["Loss"]);
            Assert.Equal(history.Epochs[epoch].ValidationAccuracy, values["ValidationAccuracy"]);
            Assert.StartsWith($"Epoch {epoch + 1}/3: loss ", logger.Entries[epoch].Message);
        }
        Assert.Equal(history.StopReason, logger.Entries[3].Values["Reason"]);
        Assert.Contains("reached the epoch limit of 3", logger.Entries[3].Message);
    }

    [Fact]
    public void Logger_ReceivesAWarning_WhenTheLossStopsBeingANumber()
    {
        var logger = new RecordingLogger();
        var model = new Sequential(new Dense(2, 4, seed: 1), new ReLU(), new Dense(4, 3, seed: 2));
        ((Dense)model[2]).Weight.CopyFrom(Tensor.Full(float.NaN, DType.Float32, 3, 4));
        var history = model.Fit(FitTests.Blobs(50, seed: 3), new FitOptions { Epochs = 3, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.1), Logger = logger });

        var warning = Assert.Single(logger.Entries);
        Assert.Equal((LogLevel.Warning, 3), (warning.Level, warning.EventId));
        Assert.Equal($"Training stopped: {history.StopReason}", warning.Message);
    }

    [Fact]
    public void Logger_SaysWhichEpochsWeightsWereRestored()
    {
        var logger = new RecordingLogger();
        // Labels rotated in the validation set: validation loss rises as training fits, so the best epoch is an early one.
        var train = FitTests.Blobs(30, seed: 2);
        var validation = new Backprop.Data.Dataset(train.Inputs, train.Labels!.Select(l => (l + 1) % 3).ToArray());
        var model = new Sequential(new Dense(2, 3, seed: 1));
        var history = model.Fit(train, new FitOptions
        {
            Epochs = 20, BatchSize = 10, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.1),
            Validation = validation, StopWhen = Stop.NoImprovement(patience: 2, restoreBestWeights: true), Logger = logger,
        });

        Assert.NotNull(history.RestoredEpoch);
        var restored = logger.Entries[^1];
        Assert.Equal(4, restored.EventId);
        Assert.Equal(history.RestoredEpoch, restored.Values["Epoch"]);
    }

    private sealed class Synchronous<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private sealed record Entry(LogLevel Level, int EventId, string Message, Dictionary<string, object?> Values);

    private sealed class RecordingLogger : ILogger
    {
        public List<Entry> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : [];
            Entries.Add(new Entry(logLevel, eventId.Id, formatter(state, exception), values));
        }
    }
}

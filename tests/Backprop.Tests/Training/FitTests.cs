using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;

namespace Backprop.Tests.Training;

public class FitTests
{
    // XOR truth table: the classic problem no single-layer perceptron can solve.
    private static Dataset Xor() => new(Tensor.FromArray(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, 4, 2), [0, 1, 1, 0]);

    [Fact]
    public void Fit_OnXor_StopsByItselfWhenAllFourAreCorrect()
    {
        var model = new Sequential(new Dense(2, 4, seed: 1), new Sigmoid(), new Dense(4, 1, seed: 2), new Sigmoid());
        var history = model.Fit(Xor(), new FitOptions
        {
            Epochs = 5000, BatchSize = 4, Loss = new MseLoss(),
            Optimizer = new Sgd(model.Parameters(), learningRate: 2.0, momentum: 0.9),
            StopWhen = Stop.AllCorrect,
        });
        Assert.True(history.StoppedEarly, history.StopReason);
        Assert.Contains("all 4 training examples", history.StopReason);
        Assert.InRange(history.Epochs.Count, 1, 4999);
        Assert.Equal([0, 1, 1, 0], ModuleTraining.PredictedClasses(model.Predict(Xor().Inputs)));
    }

    [Fact]
    public void Fit_WithOneOutputAndALabelAboveOne_IsRejectedWithTheLabel()
    {
        // A single sigmoid output is trained towards 0 or 1; a label of 2 would silently become the target 2.
        var data = new Dataset(Tensor.FromArray(new float[] { 0, 1, 2 }, 3, 1), [0, 1, 2]);
        var model = new Sequential(new Dense(1, 1, seed: 1), new Sigmoid());
        var options = new FitOptions { Epochs = 1, BatchSize = 3, Loss = new MseLoss(), Optimizer = new Sgd(model.Parameters(), 0.1) };

        var error = Assert.Throws<ArgumentException>(() => model.Fit(data, options));
        Assert.Contains("label 2", error.Message);
    }

    [Fact]
    public void Fit_WithTheSameSeed_IsDeterministic()
    {
        double[] Run()
        {
            var data = Blobs(200, seed: 5);
            var model = new Sequential(new Dense(2, 8, seed: 3), new ReLU(), new Dense(8, 3, seed: 4));
            return [.. model.Fit(data, new FitOptions { Epochs = 3, BatchSize = 16, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.1), Seed = 9 }).Loss];
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Fit_StopsWhenTheLossFallsBelowTheTarget()
    {
        var data = Blobs(300, seed: 1);
        var model = new Sequential(new Dense(2, 16, seed: 1), new Tanh(), new Dense(16, 3, seed: 2));
        var history = model.Fit(data, new FitOptions { Epochs = 200, BatchSize = 32, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.2, momentum: 0.9), StopWhen = Stop.LossBelow(0.1) });
        Assert.True(history.StoppedEarly);
        Assert.True(history.Epochs[^1].Loss < 0.1);
        Assert.All(history.Epochs.SkipLast(1), e => Assert.True(e.Loss >= 0.1));
    }

    [Fact]
    public void EarlyStopping_StopsAfterPatience_AndRestoresTheBestWeights()
    {
        var train = Blobs(300, seed: 2);
        // A validation set whose labels are rotated: the better the model fits, the worse validation gets.
        var rotated = new Dataset(train.Inputs, train.Labels!.Select(l => (l + 1) % 3).ToArray());
        var model = new Sequential(new Dense(2, 16, seed: 1), new Tanh(), new Dense(16, 3, seed: 2));
        var snapshots = new List<float[]>();
        var history = model.Fit(train, new FitOptions
        {
            Epochs = 50, BatchSize = 32, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.1),
            Validation = rotated, StopWhen = Stop.NoImprovement(patience: 2),
            OnEpochEnd = _ => snapshots.Add(model.Parameters().First().ToFloatArray()),
        });
        Assert.True(history.StoppedEarly, history.StopReason);
        int best = history.RestoredEpoch!.Value;
        Assert.Equal(history.Epochs.Count - 2, best);
        Assert.Equal(history.Epochs.Min(e => e.ValidationLoss!.Value), history.Epochs[best - 1].ValidationLoss!.Value);
        Assert.Equal(snapshots[best - 1], model.Parameters().First().ToFloatArray());
    }

    [Fact]
    public void NonFiniteLoss_StopsTraining_AndNamesTheFirstNonFiniteLayer()
    {
        var model = new Sequential(new Dense(2, 4, seed: 1), new ReLU(), new Dense(4, 3, seed: 2));
        ((Dense)model[2]).Weight.CopyFrom(Tensor.Full(float.NaN, DType.Float32, 3, 4));
        var history = model.Fit(Blobs(50, seed: 3), new FitOptions { Epochs = 3, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.1) });
        Assert.True(history.StoppedEarly);
        Assert.Contains("NaN", history.StopReason);
        Assert.Contains("layer 2 (Dense(4, 3))", history.StopReason);
    }

    [Fact]
    public void Fit_LearnsALinearRegression()
    {
        // y = 2x − 1 on x ∈ [−1, 1]: a single Dense(1, 1) must find weight 2 and bias −1.
        var x = Tensor.RandomUniform([200, 1], seed: 4, low: -1, high: 1);
        var y = x * 2.0 - 1.0;
        var model = new Dense(1, 1, seed: 1);
        model.Fit(new Dataset(x, y.Detach()), new FitOptions { Epochs = 100, BatchSize = 20, Loss = new MseLoss(), Optimizer = new Sgd(model.Parameters(), 0.1) });
        Assert.Equal(2.0, model.Weight.Item(), 3);
        Assert.Equal(-1.0, model.Bias!.Item(), 3);
        var evaluation = model.Evaluate(new Dataset(x, y.Detach()), new MseLoss());
        Assert.True(evaluation.MeanSquaredError < 1e-6);
        Assert.True(evaluation.MeanAbsoluteError < 1e-3);
    }

    [Fact]
    public void Fit_WithoutLossOrOptimizer_SaysWhatIsMissing()
    {
        var model = new Dense(2, 2);
        Assert.Contains("Loss", Assert.Throws<ArgumentException>(() => model.Fit(Xor(), new FitOptions { Optimizer = new Sgd(model.Parameters(), 0.1) })).Message);
        Assert.Contains("Optimizer", Assert.Throws<ArgumentException>(() => model.Fit(Xor(), new FitOptions { Loss = new MseLoss() })).Message);
    }

    /// <summary>Three well-separated Gaussian blobs in 2-D, labelled by blob.</summary>
    [Fact]
    public void Fit_WithClipGradNorm_KeepsEveryStepsGradientNormAtMostN_AndWithoutItTheNormIsLarger()
    {
        double[] StepNorms(double? clip)
        {
            var model = new Sequential(new Dense(2, 16, seed: 3), new ReLU(), new Dense(16, 3, seed: 4));
            var norms = new List<double>();
            var parameters = model.Parameters().ToArray();
            model.Fit(Blobs(200, seed: 5), new FitOptions
            {
                Epochs = 2, BatchSize = 20, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(parameters, 0.5), Seed = 1, ClipGradNorm = clip,
                // After the step the gradients are still the ones the step used.
                OnStep = () => norms.Add(Math.Sqrt(parameters.Sum(p => p.Grad!.ToDoubleArray().Sum(g => g * g)))),
            });
            return [.. norms];
        }

        const double maxNorm = 0.05;
        Assert.All(StepNorms(maxNorm), norm => Assert.InRange(norm, 0, maxNorm));
        Assert.True(StepNorms(null).Max() > 2 * maxNorm);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Fit_WithAClipGradNormThatIsNotPositive_Throws(double clip)
    {
        var model = new Sequential(new Dense(2, 3, seed: 1));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(Blobs(10, seed: 1), new FitOptions
        {
            Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.1), ClipGradNorm = clip,
        }));
        Assert.Contains("ClipGradNorm", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Fit_WithABatchSizeBelowOne_ThrowsNamingFitAndTheValue(int batchSize)
    {
        var model = new Sequential(new Dense(2, 3, seed: 1));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(Blobs(10, seed: 1), new FitOptions
        {
            Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.1), BatchSize = batchSize,
        }));
        Assert.Contains($"Fit: BatchSize must be ≥ 1, got {batchSize}", error.Message);
    }

    [Fact]
    public void EarlyStopping_CountsANaNValidationLossAsNoImprovement()
    {
        // NaN inputs make every validation loss NaN; as in Keras's EarlyStopping, NaN is never an improvement, so patience runs out.
        var validation = new Dataset(Tensor.Full(double.NaN, DType.Float32, 10, 2), Enumerable.Range(0, 10).Select(i => i % 3).ToArray(), 3);
        var model = new Sequential(new Dense(2, 3, seed: 1));
        var history = model.Fit(Blobs(30, seed: 2), new FitOptions
        {
            Epochs = 10, BatchSize = 10, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.1),
            Validation = validation, StopWhen = Stop.NoImprovement(patience: 2),
        });
        Assert.True(history.StoppedEarly, history.StopReason);
        Assert.Equal(2, history.Epochs.Count);
        Assert.Contains("never a number", history.StopReason);
    }

    internal static Dataset Blobs(int count, int seed)
    {
        var random = new Random(seed);
        var inputs = new float[count * 2];
        var labels = new int[count];
        double[][] centres = [[-2, 0], [2, 0], [0, 3]];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 3;
            inputs[2 * i] = (float)(centres[labels[i]][0] + 0.5 * (random.NextDouble() - 0.5));
            inputs[2 * i + 1] = (float)(centres[labels[i]][1] + 0.5 * (random.NextDouble() - 0.5));
        }
        return new Dataset(Tensor.FromArray(inputs, count, 2), labels);
    }
}

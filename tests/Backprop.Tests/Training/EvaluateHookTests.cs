using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Tests.Training;

/// <summary>Evaluate's hook sees every example once, in the source's order, with Predict's outputs, in the one pass that measures the model.</summary>
public class EvaluateHookTests
{
    private static Sequential Network(int outputs) => new(new Dense(3, 5, seed: 1), new Tanh(), new Dense(5, outputs, seed: 2));

    [Fact]
    public void Regression_EveryExampleOnce_InOrder_WithPredictsOutputs_FromOnePass()
    {
        var model = Network(outputs: 2);
        var inputs = Tensor.RandomUniform([10, 3], seed: 3);
        // Row i's targets are (i, i + 0.5), so the order the hook sees them in is plain to read.
        var targets = Tensor.FromArray(Enumerable.Range(0, 10).SelectMany(i => new[] { i, i + 0.5f }).ToArray(), 10, 2);
        var source = new CountingSource(new Dataset(inputs, targets));
        var sizes = new List<int>();
        var seenTargets = new List<float>();
        var seenPredictions = new List<float>();

        var evaluation = model.Evaluate(source, new MseLoss(), batch =>
        {
            sizes.Add(batch.Batch.Count);
            seenTargets.AddRange(batch.Batch.Targets!.ToFloatArray());
            seenPredictions.AddRange(batch.Predictions.ToFloatArray());
        }, batchSize: 3);

        Assert.Equal([3, 3, 3, 1], sizes);
        Assert.Equal(targets.ToFloatArray(), seenTargets);
        float[] predicted = model.Predict(inputs).ToFloatArray();
        Assert.Equal(predicted, seenPredictions);
        Assert.Equal((1, 4), (source.Passes, source.BatchesRead));
        // The mean squared error of Predict's outputs, added up here: the hook changes nothing of what is measured.
        double mse = predicted.Zip(targets.ToFloatArray(), (p, t) => ((double)p - t) * ((double)p - t)).Average();
        Assert.Equal(mse, evaluation.MeanSquaredError!.Value, 10);
        Assert.Equal(model.Evaluate(source, new MseLoss(), batchSize: 3).MeanSquaredError, evaluation.MeanSquaredError);
    }

    [Fact]
    public void Classification_SeesTheLabels_AndTheLogitsTheConfusionMatrixCounts()
    {
        var model = Network(outputs: 3);
        var inputs = Tensor.RandomUniform([7, 3], seed: 4);
        int[] labels = [0, 1, 2, 2, 1, 0, 1];
        var source = new CountingSource(new Dataset(inputs, labels, classCount: 3));
        var seenLabels = new List<int>();
        var seenLogits = new List<float>();

        var evaluation = model.Evaluate(source, loss: null, batch =>
        {
            seenLabels.AddRange(batch.Batch.Labels!);
            seenLogits.AddRange(batch.Predictions.ToFloatArray());
        }, batchSize: 4);

        Assert.Equal(labels, seenLabels);
        Assert.Equal(model.Predict(inputs).ToFloatArray(), seenLogits);
        // Each example's class is the largest of its three logits.
        var rows = seenLogits.Chunk(3).ToList();
        int correct = Enumerable.Range(0, labels.Length).Count(i => Array.IndexOf(rows[i], rows[i].Max()) == labels[i]);
        Assert.Equal((double)correct / labels.Length, evaluation.Accuracy);
        Assert.Equal(1, source.Passes);
    }

    [Fact]
    public void AHookThatThrows_EndsTheEvaluation()
    {
        var source = new CountingSource(new Dataset(Tensor.RandomUniform([10, 3], seed: 5), Tensor.RandomUniform([10, 1], seed: 6)));
        var failure = Assert.Throws<InvalidOperationException>(() =>
            Network(outputs: 1).Evaluate(source, loss: null, _ => throw new InvalidOperationException("stop"), batchSize: 4));
        Assert.Equal("stop", failure.Message);
        Assert.Equal(1, source.BatchesRead);
    }
}

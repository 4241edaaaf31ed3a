using Backprop.Data;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Tests.Training;

public class EvaluationTests
{
    [Fact]
    public void ConfusionMatrix_GivesHandComputedMetrics()
    {
        // actual:    0 0 0 1 1 2
        // predicted: 0 0 1 1 2 2  → class 0: TP 2, FP 0, FN 1; class 1: TP 1, FP 1, FN 1; class 2: TP 1, FP 1, FN 0.
        var matrix = new ConfusionMatrix([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 3);
        Assert.Equal(4.0 / 6, matrix.Accuracy, 15);
        Assert.Equal(1.0, matrix.Precision(0));
        Assert.Equal(2.0 / 3, matrix.Recall(0), 15);
        Assert.Equal(0.8, matrix.F1(0), 15);        // 2·1·(2/3)/(1 + 2/3)
        Assert.Equal(0.5, matrix.Precision(1));
        Assert.Equal(0.5, matrix.F1(2) * 0 + matrix.Precision(2));
        Assert.Equal(1.0, matrix.Recall(2));
        Assert.Equal(3, matrix.Support(0));
        Assert.Equal(1, matrix[0, 1]);
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix([0, 3], [0, 0], 3));
    }

    [Fact]
    public void Predict_InBatches_EqualsOneForwardPass_AndRecordsNoGraph()
    {
        var model = new Sequential(new Dense(3, 5, seed: 1), new Tanh(), new Dense(5, 2, seed: 2));
        var inputs = Tensor.RandomUniform([10, 3], seed: 3);
        var whole = model.Predict(inputs, batchSize: 100);
        var batched = model.Predict(inputs, batchSize: 3);
        Assert.Equal(whole.ToFloatArray(), batched.ToFloatArray());
        Assert.False(batched.RequiresGrad);
        Assert.True(model.IsTraining);
    }

    [Fact]
    public void Evaluate_OfAClassifier_CountsTheConfusionMatrix()
    {
        // A fixed linear model: class 1 exactly when x > 0 (weights chosen by hand).
        var model = new Dense(1, 2, seed: 1).To(DType.Float64);
        var dense = (Dense)model;
        dense.Weight.CopyFrom(Tensor.FromArray(new[] { -1.0, 1.0 }, 2, 1));
        dense.Bias!.CopyFrom(Tensor.FromArray(new[] { 0.0, 0.0 }, 2));
        var data = new Dataset(Tensor.FromArray(new[] { -2.0, -1.0, 1.0, 2.0 }, 4, 1), [0, 1, 1, 1]);
        var evaluation = model.Evaluate(data);
        Assert.Equal(0.75, evaluation.Accuracy);
        Assert.Equal(1, evaluation.Confusion![1, 0]);
        Assert.True(double.IsNaN(evaluation.Loss));
    }
}

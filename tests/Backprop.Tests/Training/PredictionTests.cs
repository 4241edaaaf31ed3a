using Backprop.NN;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Training;

[Collection(MemoryMeasurement.Name)]
public sealed class PredictionTests
{
    [Fact]
    public void Predict_IntoAnOutputTensor_WritesWhatPredictReturns_InEveryChunk()
    {
        var model = new Sequential(new Dense(784, 128, seed: 1), new ReLU(), new Dense(128, 10, seed: 2));
        var inputs = Tensor.RandomUniform([70, 784], seed: 3);
        var expected = model.Predict(inputs).ToFloatArray();
        var output = Tensor.Zeros(70, 10);
        Assert.Same(output, model.Predict(inputs, output, batchSize: 16));
        Assert.Equal(expected, output.ToFloatArray());
    }

    [Fact]
    public void Predict_IntoATensorOfTheWrongShape_SaysWhatTheModelGives()
    {
        var model = new Dense(4, 3, seed: 1);
        var error = Assert.Throws<ArgumentException>(() => model.Predict(Tensor.Zeros(5, 4), Tensor.Zeros(5, 2)));
        Assert.Contains("[5, 2]", error.Message);
        Assert.Contains("[5, 3]", error.Message);
    }

    [Fact]
    public void Forward_WithoutAGraph_ReturnsOutputsThatLaterCallsDoNotOverwrite()
    {
        // The activations live in recycled buffers; the output must not be one of them.
        var model = new Sequential(new Dense(8, 16, seed: 1), new ReLU(), new Dense(16, 4, seed: 2), new Flatten());
        var x = Tensor.RandomUniform([3, 8], seed: 3);
        var y = Tensor.RandomUniform([3, 8], seed: 4);
        using (Tensor.NoGrad())
        {
            var first = model.Forward(x);
            var values = first.ToFloatArray();
            model.Forward(y);
            model.Forward(y);
            Assert.Equal(values, first.ToFloatArray());
        }
    }

    [Fact]
    public void Predict_InsideATrainingStep_ReturnsOutputsThatOutliveTheStep()
    {
        // The training loop's own forward passes (e.g. a stopping criterion's) run while its step arena is open.
        var model = new Sequential(new Dense(4, 8, seed: 1), new ReLU(), new Dense(8, 2, seed: 2));
        var x = Tensor.RandomUniform([3, 4], seed: 3);
        var expected = model.Predict(x).ToFloatArray();
        var arena = new StepArena();
        Tensor inside;
        using (arena.Begin()) inside = model.Predict(x);
        using (arena.Begin()) model.Predict(Tensor.RandomUniform([3, 4], seed: 4)); // the next step reuses the buffers
        Assert.Equal(expected, inside.ToFloatArray());
    }

    [Fact]
    public void Predict_AtSteadyState_AllocatesItsOutputAndLessThanAKilobyteBesides()
    {
        // On a thread of its own: the per-thread buffers other tests left on a pool thread would be counted as well.
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { AssertAllocationsWithinBudget(); }
            catch (Exception error) { failure = error; }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw failure;
    }

    private static void AssertAllocationsWithinBudget()
    {
        // Issue 16's budget: nothing but the returned output (+1 KB), and at most 1 KB with the caller's output tensor.
        var model = new Sequential(new Dense(784, 128, seed: 1), new ReLU(), new Dense(128, 10, seed: 2));
        foreach (int batch in new[] { 1, 64, 1000 })
        {
            var inputs = Tensor.RandomUniform([batch, 784], seed: 3);
            var output = Tensor.Zeros(batch, 10);
            for (int i = 0; i < 20; i++) model.Predict(inputs, output, batchSize: 1000);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++) model.Predict(inputs, output, batchSize: 1000);
            double intoOutput = (GC.GetAllocatedBytesForCurrentThread() - before) / 10.0;
            before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++) model.Predict(inputs, batchSize: 1000);
            double returned = (GC.GetAllocatedBytesForCurrentThread() - before) / 10.0;
            Assert.True(intoOutput <= 1024, $"batch {batch}: {intoOutput} bytes per call into the caller's output");
            Assert.True(returned <= (batch * 10 * sizeof(float)) + 1024, $"batch {batch}: {returned} bytes per call returning the output");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Predict_AfterTheWeightChangesThroughAView_UsesTheNewWeights(bool reshape)
    {
        // A packed copy of the weight serves inference; a write through a view of the same values must make it stale.
        var dense = new Dense(3, 2, seed: 1);
        var model = new Sequential(dense);
        var x = Tensor.FromArray(new float[] { 1, 2, 3 }, 1, 3);
        model.Predict(x);
        var view = reshape ? dense.Weight.Reshape(6) : dense.Weight.Detach();
        view.CopyFrom(Tensor.FromArray(new float[] { 1, 0, 0, 0, 1, 0 }, view.Shape));

        // Row 0 of W picks x₀, row 1 picks x₁; the bias is unchanged.
        var bias = dense.Bias!.ToFloatArray();
        Assert.Equal([1 + bias[0], 2 + bias[1]], model.Predict(x).ToFloatArray());
    }
}

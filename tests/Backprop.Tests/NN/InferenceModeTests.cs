using Backprop.NN;
using Backprop.Training;

namespace Backprop.Tests.NN;

public sealed class InferenceModeTests
{
    [Fact]
    public void Inside_TheScope_DropoutIsTheIdentity_AndOnlyThisThreadSeesEvaluationMode()
    {
        var dropout = new Dropout(0.5, seed: 1);
        var x = Tensor.Ones(4, 8);
        ulong generator = dropout.GeneratorState;
        bool otherThreadSaw = false;
        using (InferenceMode.Enter())
        {
            Assert.False(dropout.IsTraining);
            Assert.False(Tensor.IsGradEnabled);
            Assert.Equal(x.ToFloatArray(), dropout.Forward(x).ToFloatArray());
            var other = new Thread(() => otherThreadSaw = dropout.IsTraining); // another thread sees the module's own mode
            other.Start();
            other.Join();
        }
        Assert.True(otherThreadSaw);
        Assert.True(dropout.IsTraining);
        Assert.True(Tensor.IsGradEnabled);
        Assert.Equal(generator, dropout.GeneratorState);
    }

    [Fact]
    public void Predict_FromManyThreads_OnAModelInTrainingMode_GivesSerialResults_AndLeavesTheModelInTrainingMode()
    {
        // The probe of issue 16: eight threads predicting on a model as Model.Load returns it (training mode).
        var model = new Sequential(new Dense(6, 32, seed: 1), new ReLU(), new Dropout(0.5, seed: 2), new BatchNorm1d(32), new Dense(32, 3, seed: 3));
        using (Tensor.NoGrad()) model.Forward(Tensor.RandomNormal([16, 6], seed: 4)); // give BatchNorm running statistics that are not 0 and 1
        var inputs = Tensor.RandomNormal([40, 6], seed: 5);
        var serial = model.Predict(inputs).ToFloatArray();
        var running = ((BatchNorm1d)model[3]).RunningMean!.ToFloatArray();
        var results = new float[8][];
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            float[] last = [];
            for (int i = 0; i < 50; i++) last = model.Predict(inputs, batchSize: 7).ToFloatArray();
            results[t] = last;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        foreach (var result in results) Assert.Equal(serial, result);
        Assert.True(model.IsTraining);
        Assert.Equal(running, ((BatchNorm1d)model[3]).RunningMean!.ToFloatArray());
    }
}

using Backprop.Kernels;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Tests.NN;

[Collection("Threads")]
public sealed class DenseChainInferenceTests
{
    public static TheoryData<string> Chains => ["784-128-10", "784-512-256-10 relu-out", "37-19-5 dropout", "37-19-5 nobias", "37-5"];

    /// <summary>The chains of <see cref="Chains"/>: widths, then what sits between or after the dense layers.</summary>
    private static Sequential Build(string chain)
    {
        string[] parts = chain.Split(' ');
        int[] widths = [.. parts[0].Split('-').Select(int.Parse)];
        string variant = parts.Length > 1 ? parts[1] : "";
        var layers = new List<Module>();
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            layers.Add(new Dense(widths[i], widths[i + 1], bias: variant != "nobias", seed: i + 1));
            if (i + 2 < widths.Length || variant == "relu-out") layers.Add(new ReLU());
            if (variant == "dropout") layers.Add(new Dropout(0.5, seed: 9));
        }
        return new Sequential([.. layers]);
    }

    /// <summary>Each layer's own <c>Forward</c> in turn, with evaluation semantics: no fusion, no direct route.</summary>
    private static float[] LayerByLayer(Sequential model, Tensor x)
    {
        using var inference = InferenceMode.Enter();
        var y = x;
        foreach (var layer in model.Layers) y = layer.Forward(y);
        return y.ToFloatArray();
    }

    [Theory]
    [MemberData(nameof(Chains))]
    public void TryPredict_GivesTheBitsOfTheLayersOneByOne_InEveryChunk_OnAnyThreadCount(string chain)
    {
        var model = Build(chain);   // in training mode, as Model.Load returns it: dropout must still be off
        int inputs = model.Layers.OfType<Dense>().First().Inputs;
        var x = Tensor.RandomUniform([45, inputs], seed: 3, low: -1);
        var expected = LayerByLayer(model, x);
        foreach (int threads in new[] { 1, 2 })
        {
            foreach (int batchSize in new[] { 1, 16, 45, 256 })
            {
                bool taken = ThreadCount.With(threads, () =>
                {
                    using var inference = InferenceMode.Enter();
                    return DenseChainInference.TryPredict(model, x, null, batchSize, out var output) && Bits(output.ToFloatArray()).SequenceEqual(Bits(expected));
                });
                Assert.True(taken || !PackedLinear.IsSupported, $"{chain}, {threads} threads, batches of {batchSize}: not taken, or other bits than the layers'");
                Assert.Equal(Bits(expected), Bits(ThreadCount.With(threads, () => model.Predict(x, batchSize).ToFloatArray())));
            }
        }
        Assert.True(model.IsTraining);
    }

    [Theory]
    [MemberData(nameof(Chains))]
    public void Forward_WithoutAGraph_InEvaluationMode_TakesTheRoute_WithTheBitsOfTheLayersOneByOne(string chain)
    {
        var model = Build(chain);
        model.Eval();
        var x = Tensor.RandomUniform([7, model.Layers.OfType<Dense>().First().Inputs], seed: 4, low: -1);
        var expected = LayerByLayer(model, x);
        using (Tensor.NoGrad())
        {
            Assert.True(DenseChainInference.TryForward(model.Layers, x, out var direct) || !PackedLinear.IsSupported);
            if (direct is not null) Assert.Equal(Bits(expected), Bits(direct.ToFloatArray()));
            Assert.Equal(Bits(expected), Bits(model.Forward(x).ToFloatArray()));
        }
    }

    [Fact]
    public void Forward_WithoutAGraph_InTrainingMode_KeepsDropout()
    {
        // No graph is not evaluation: dropout in training mode still drops, so the chain goes the general way.
        var model = Build("37-19-5 dropout");
        var x = Tensor.RandomUniform([64, 37], seed: 5, low: -1);
        var evaluated = LayerByLayer(model, x);
        using (Tensor.NoGrad())
        {
            Assert.False(DenseChainInference.TryForward(model.Layers, x, out _));
            Assert.NotEqual(Bits(evaluated), Bits(model.Forward(x).ToFloatArray()));
        }
    }

    [Fact]
    public void TryPredict_IntoACallersTensor_WritesThatTensor_AndPredictReturnsIt()
    {
        if (!PackedLinear.IsSupported) return;
        var model = Build("37-19-5");
        var x = Tensor.RandomUniform([9, 37], seed: 4);
        var output = Tensor.Full(float.NaN, DType.Float32, 9, 5);
        Assert.Same(output, model.Predict(x, output, batchSize: 4));
        Assert.Equal(Bits(LayerByLayer(model, x)), Bits(output.ToFloatArray()));
    }

    [Fact]
    public void Predict_IntoItsOwnInputs_GivesWhatASeparateOutputGets()
    {
        // The direct route would overwrite rows it has still to read; such a call goes the general way.
        var model = new Sequential(new Dense(40, 40, seed: 1), new ReLU());
        var x = Tensor.RandomUniform([9, 40], seed: 2, low: -1);
        var expected = model.Predict(x, batchSize: 4).ToFloatArray();
        Assert.False(DenseChainInference.TryPredict(model, x, x, 4, out _));
        Assert.Same(x, model.Predict(x, x, batchSize: 4));
        Assert.Equal(Bits(expected), Bits(x.ToFloatArray()));
    }

    public static TheoryData<string> Declined => ["sigmoid", "relu-first", "float64", "wrong-width", "no-rows", "wrong-output", "batchnorm"];

    [Theory]
    [MemberData(nameof(Declined))]
    public void TryPredict_DeclinesWhatItDoesNotRun_AndPredictStillAnswers(string what)
    {
        Module model = what switch
        {
            "sigmoid" => new Sequential(new Dense(6, 4, seed: 1), new Sigmoid(), new Dense(4, 2, seed: 2)),
            "relu-first" => new Sequential(new ReLU(), new Dense(6, 2, seed: 1)),
            "float64" => new Sequential(new Dense(6, 4, seed: 1), new ReLU(), new Dense(4, 2, seed: 2)).To(DType.Float64),
            "batchnorm" => new Sequential(new Dense(6, 4, seed: 1), new BatchNorm1d(4), new Dense(4, 2, seed: 2)),
            _ => new Sequential(new Dense(6, 4, seed: 1), new ReLU(), new Dense(4, 2, seed: 2)),
        };
        var dtype = what == "float64" ? DType.Float64 : DType.Float32;
        var x = Tensor.RandomUniform([what == "no-rows" ? 0 : 3, what == "wrong-width" ? 5 : 6], seed: 3, dtype: dtype);
        var into = what == "wrong-output" ? Tensor.Zeros(3, 3) : null;
        using (InferenceMode.Enter()) Assert.False(DenseChainInference.TryPredict(model, x, into, 256, out _));
        if (what is "wrong-width" or "wrong-output") Assert.Throws<ArgumentException>(() => into is null ? model.Predict(x) : model.Predict(x, into));
        else Assert.Equal(what == "no-rows" ? 0 : 3, model.Predict(x).Dims[0]);
    }

    [Fact]
    public void Predict_FromManyThreadsAtOnce_GivesTheSerialResult()
    {
        var model = Build("784-128-10");
        var x = Tensor.RandomUniform([33, 784], seed: 5);
        var serial = ThreadCount.With(1, () => model.Predict(x, batchSize: 8).ToFloatArray());
        var results = new float[8][];
        ThreadCount.With(2, () =>
        {
            var threads = Enumerable.Range(0, results.Length).Select(t => new Thread(() =>
            {
                var output = Tensor.Zeros(33, 10);
                for (int i = 0; i < 200; i++) model.Predict(x, output, batchSize: 1 + (t * 5));
                results[t] = output.ToFloatArray();
            })).ToList();
            threads.ForEach(thread => thread.Start());
            threads.ForEach(thread => thread.Join());
            return 0;
        });
        Assert.All(results, result => Assert.Equal(Bits(serial), Bits(result)));
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}

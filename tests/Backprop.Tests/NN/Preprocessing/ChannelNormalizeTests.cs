using Backprop.Autograd;
using Backprop.IO;
using Backprop.NN;
using Backprop.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Backprop.Tests.NN.Preprocessing;

public class ChannelNormalizeTests
{
    [Fact]
    public void Forward_ScalesThenNormalisesEachChannel()
    {
        var layer = new ChannelNormalize([0.5f, 0.25f], [0.25f, 0f], scale: 1 / 255f);
        // [1, 2, 1, 2]: channel 0 holds 0 and 255, channel 1 holds 51 and 102.
        var output = layer.Forward(Tensor.FromArray(new float[] { 0, 255, 51, 102 }, 1, 2, 1, 2)).ToFloatArray();

        // By hand: (0/255 − .5)/.25 = −2, (1 − .5)/.25 = 2; channel 1's std 0 divides by 1: .2 − .25, .4 − .25.
        Assert.Equal([-2f, 2f, -0.05f, 0.15f], output.Select(v => MathF.Round(v, 5)));
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences()
    {
        var layer = new ChannelNormalize([0.1f, -0.3f, 2f], [0.5f, 2f, 0.7f], scale: 0.2f).To(DType.Float64);
        var input = Tensor.RandomNormal([2, 3, 2, 3], seed: 7).ToDType(DType.Float64);
        input.RequiresGrad = true;

        var result = GradCheck.Run(() => (layer.Forward(input) * layer.Forward(input)).Sum(), [input]);

        Assert.True(result.Passed(), result.ToString());
    }

    [Fact]
    public void Forward_InFloat64_IsTheFormula_ForInputsOfAnyTrailingShape()
    {
        var layer = new ChannelNormalize([0.25f, -1.5f], [0.5f, 4f], scale: 3f).To(DType.Float64);
        double[] x = [1, -2, 0.5, 7, 3, 0, -4, 2.5, 1.25, -0.75, 6, -3];

        double[] actual = layer.Forward(Tensor.FromArray(x, 2, 2, 3)).ToDoubleArray();

        // By the definition, element by element: channel c of sample n is x[(n·2 + c)·3 …], (x·3 − mean[c]) / std[c].
        double[] expected = [.. x.Select((v, i) => (i / 3 % 2) == 0 ? (v * 3 - 0.25) / 0.5 : (v * 3 + 1.5) / 4)];
        Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First, pair.Second, 12));
    }

    [Fact]
    public void Forward_RecordsOneOperation_ThatReadsOnlyTheInput()
    {
        var layer = new ChannelNormalize([0.1f, 0.2f, 0.3f], [1f, 2f, 3f], scale: 1 / 255f);
        var input = Tensor.RandomUniform([2, 3, 4, 4], seed: 1);
        input.RequiresGrad = true;

        var output = layer.Forward(input);

        // One node between the input and the output: no scaled or centred copy of the batch is kept for backward.
        Assert.Equal("ChannelAffine", output.GradFn!.Operation);
        Assert.Same(input, Assert.Single(output.GradFn.Inputs));
    }

    [Fact]
    public void SavedAndLoaded_KeepsItsStatisticsAndScale()
    {
        using var temp = new TempFolder();
        var model = new Sequential(new ChannelNormalize([0.2f, 0.4f, 0.6f], [0.1f, 0.2f, 0.3f], scale: 1 / 255f), new Flatten(), new Dense(3 * 2 * 2, 2));
        model.Save(temp.File("m.safetensors"));
        var input = Tensor.RandomUniform([4, 3, 2, 2], seed: 3) * 255;

        var loaded = Model.Load(temp.File("m.safetensors"));

        Assert.Equal(model.Predict(input).ToFloatArray(), loaded.Predict(input).ToFloatArray());
        Assert.Equal("ChannelNormalize(3)", ((Sequential)loaded)[0].ToString());
    }

    [Fact]
    public void Onnx_TakesRawPixels_AndMatchesForward()
    {
        using var temp = new TempFolder();
        // Seeded layers: unseeded ones drew from the shared generator, so their weights (and the outputs' size) depended on
        // which tests ran first.
        var model = new Sequential(new ChannelNormalize([0.2f, 0.4f, 0.6f], [0.1f, 0.2f, 0.3f], scale: 1 / 255f), new Conv2d(3, 2, 3, padding: 1, seed: 1), new Flatten(), new Dense(2 * 5 * 4, 3, seed: 2));
        string path = temp.File("m.onnx");
        model.ExportOnnx(path, [3, 5, 4]);
        var input = Tensor.RandomUniform([2, 3, 5, 4], seed: 5) * 255;

        using var session = new InferenceSession(path);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input.ToFloatArray(), [2, 3, 5, 4]))]);
        float[] actual = results.Single().AsTensor<float>().ToArray();

        float[] expected = model.Predict(input).ToFloatArray();
        // Relative: the two sum the products in different orders, and the outputs of raw pixels run to tens.
        Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First, pair.Second, 1e-5f * Math.Max(1f, Math.Abs(pair.First))));
    }

    [Fact]
    public void Forward_OfRowsWithoutChannels_SaysWhatShapeItTakes()
    {
        var error = Assert.Throws<ArgumentException>(() => new ChannelNormalize([0f, 0f, 0f], [1f, 1f, 1f]).Forward(Tensor.Zeros(4, 3)));
        Assert.Contains("expected input of shape [batch, 3, height, width], got [4, 3]", error.Message);
    }
}

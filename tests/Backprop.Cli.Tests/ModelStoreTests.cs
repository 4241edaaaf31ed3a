using Backprop.Cli.Models;
using Backprop.Data;
using Backprop.NN;
using Backprop.Tests;

namespace Backprop.Cli.Tests;

public class ModelStoreTests
{
    [Fact]
    public void SaveThenLoad_GivesTheSameOutputsAndInfo()
    {
        using var folder = new TempFolder();
        Rng.ManualSeed(3);
        var model = new Mlp(3, [5, 4], "gelu", 2, Standardized: true).Create([1f, 2f, 3f], [0.5f, 1f, 2f]);
        var info = new ModelInfo(ModelInfo.Csv, ["no", "yes"], ["a", "b", "c"], "answer", "cross-entropy");
        var inputs = Tensor.FromArray(new float[] { 0.1f, -2f, 3f, 4f, 5f, -6f }, 2, 3);

        ModelStore.Save(model, folder.File("m.safetensors"), info);
        var (loaded, loadedInfo) = ModelStore.Load(folder.File("m.safetensors"));

        Assert.Equal(model.ToString(), loaded.ToString());
        Assert.Equal(model.Predict(inputs).ToFloatArray(), loaded.Predict(inputs).ToFloatArray());
        Assert.Equal(info.ClassNames, loadedInfo.ClassNames);
        Assert.Equal(info.FeatureNames, loadedInfo.FeatureNames);
        Assert.Equal(("csv", "answer", "cross-entropy"), (loadedInfo.InputKind, loadedInfo.LabelColumn, loadedInfo.Loss));
        var names = Backprop.IO.SafeTensorsReader.Read(folder.File("m.safetensors")).Entries.Select(e => e.Name);
        Assert.Equal(["1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias", "0.mean", "0.std"], names);
    }

    [Fact]
    public void Mlp_Describe_RecognisesOnlyTheNetworksTrainBuilds()
    {
        Assert.Equal("tanh", Mlp.Describe(new Sequential(new Dense(2, 3), new Tanh(), new Dense(3, 1)))!.Activation);
        Assert.Null(Mlp.Describe(new Sequential(new Dense(2, 3), new Tanh(), new ReLU(), new Dense(3, 1))));
        Assert.Null(Mlp.Describe(new Dense(2, 3)));
    }
}

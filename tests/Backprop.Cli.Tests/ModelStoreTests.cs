using Backprop.Cli.Models;
using Backprop.Data;
using Backprop.IO;
using Backprop.NN;
using Backprop.Tests;
using Backprop.Training;

namespace Backprop.Cli.Tests;

public class ModelStoreTests
{
    [Fact]
    public void SaveThenLoad_GivesTheSameOutputsAndInfo()
    {
        using var folder = new TempFolder();
        Rng.ManualSeed(3);
        // A Standardize first layer, as CSV models trained before table preprocessing have, must still round-trip.
        var network = Mlp.Build(3, [5, 4], 2, new Layers("gelu", "auto", Dropout: 0.3, BatchNorm: true));
        var model = new Sequential([new Standardize([1f, 2f, 3f], [0.5f, 1f, 2f]), .. network.Layers]);
        var info = new ModelInfo(ModelInfo.Csv, ["no", "yes"], ["a", "b", "c"], "answer", "cross-entropy", [3]);
        var inputs = Tensor.FromArray(new float[] { 0.1f, -2f, 3f, 4f, 5f, -6f }, 2, 3);

        ModelStore.Save(model, folder.File("m.safetensors"), info);
        var (loaded, loadedInfo) = ModelStore.Load(folder.File("m.safetensors"));

        Assert.Equal(model.ToString(), loaded.ToString());
        Assert.Equal(model.Predict(inputs).ToFloatArray(), loaded.Predict(inputs).ToFloatArray());
        Assert.Equal(info.ClassNames, loadedInfo.ClassNames);
        Assert.Equal(info.FeatureNames, loadedInfo.FeatureNames);
        Assert.Equal(info.InputShape, loadedInfo.InputShape);
        Assert.Equal(("csv", "answer", "cross-entropy"), (loadedInfo.InputKind, loadedInfo.LabelColumn, loadedInfo.Loss));
        // The library's own architecture metadata rebuilds the network; the library's description of its data rides beside it.
        var metadata = SafeTensorsReader.Read(folder.File("m.safetensors")).Metadata;
        Assert.Contains(ModelFiles.ArchitectureKey, metadata.Keys);
        var description = ModelDescription.Read(folder.File("m.safetensors"))!;
        Assert.Equal(["no", "yes"], description.ClassNames);
        Assert.Equal("""{"kind":"csv","features":["a","b","c"],"label_column":"answer"}""", description.Preprocessing!.ToJsonString());
        Assert.DoesNotContain(ModelStore.LegacyInfoKey, metadata.Keys);
    }

    [Fact]
    public void Load_OfAModelWhoseClassNamesDoNotMatchItsOutputs_IsAFormatError()
    {
        using var folder = new TempFolder();
        var model = new Sequential(new Dense(3, 2, seed: 1));
        ModelStore.Save(model, folder.File("m.safetensors"), new ModelInfo(ModelInfo.Csv, ["a", "b", "c"], ["x", "y", "z"], "label", "mse", [3]));

        var error = Assert.Throws<ModelFormatException>(() => ModelStore.Load(folder.File("m.safetensors")));
        Assert.Contains("3 class names for 2 outputs", error.Message);
    }
}

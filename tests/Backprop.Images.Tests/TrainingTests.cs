using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Tests;
using Backprop.Training;

namespace Backprop.Images.Tests;

public sealed class TrainingTests
{
    [Fact]
    public void FitOnAFolder_IsBitForBit_FitOnTheSameImagesInMemory()
    {
        using var temp = new TempFolder();
        MnistPictures.WriteFolder(temp.Path, MnistPictures.Train, perClass: 12, classes: 3);
        var data = ImageFolder.Load(temp.Path);
        // The same images, decoded once into a Dataset: the in-memory reference (DataLoader's order, the step arena).
        var pixels = data.Train.Files.SelectMany(data.Transform.Load).ToArray();
        var inMemory = new Dataset(Tensor.FromArray(pixels, [data.Train.Count, .. data.Transform.Shape]), [.. data.Train.Labels!], classCount: 3);

        var fromFolder = Train(data, data.Train);
        var fromMemory = Train(data, inMemory);

        Assert.Equal(fromMemory.Epochs.Select(e => e.Loss), fromFolder.Epochs.Select(e => e.Loss));
        Assert.Equal(fromMemory.Epochs.Select(e => e.ValidationLoss), fromFolder.Epochs.Select(e => e.ValidationLoss));
        Assert.True(fromFolder.Epochs[^1].Loss < fromFolder.Epochs[0].Loss);
    }

    private static History Train(ImageFolderData data, IDataSource train)
    {
        Rng.ManualSeed(3);
        var model = ConvNet.Create(data.Transform.Shape, [4], classes: 3, inputLayer: data.Normalization());
        return model.Fit(train, new FitOptions
        {
            Epochs = 3,
            BatchSize = 5,
            Seed = 11,
            Loss = new CrossEntropyLoss(),
            Optimizer = new Sgd(model.Parameters(), 0.01, momentum: 0.9),
            Validation = data.Validation,
        });
    }
}

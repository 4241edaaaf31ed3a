using Backprop.IO;
using Backprop.NN;

namespace Backprop.Tests.IO;

/// <summary>Every layer type, saved and loaded, gives the saved model's outputs and gradients to the bit.</summary>
public sealed class AllLayersRoundTripTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-roundtrip-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string, DType> Cases => new()
    {
        { "mlp", DType.Float32 }, { "mlp", DType.Float64 },
        { "cnn", DType.Float32 }, { "cnn", DType.Float64 },
        { "recurrent", DType.Float32 }, { "recurrent", DType.Float64 },
    };

    /// <summary>Three models that together hold every layer type, with non-default arguments where a layer takes any.</summary>
    private static (Sequential Model, Tensor Input) Build(string name) => name switch
    {
        "mlp" => (new Sequential(
            new Standardize([0.5f, -1f, 2f, 0f, 3f], [2f, 0.5f, 0f, 3f, 1.5f]), new Dense(5, 8, seed: 1), new BatchNorm1d(8, epsilon: 1e-3, momentum: 0.2),
            new ReLU(), new LayerNorm([8], epsilon: 1e-4), new Dropout(0.3, seed: 2), new Dense(8, 6, seed: 3), new BatchNorm1d(6, affine: false),
            new LayerNorm([6], elementwiseAffine: false), new Tanh()),
            Tensor.RandomNormal([6, 5], seed: 11)),
        "cnn" => (new Sequential(
            new Conv2d(2, 4, 3, padding: 1, seed: 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
            new Conv2d(4, 6, (3, 2), stride: (1, 2), padding: (1, 1), dilation: (2, 1), bias: false, seed: 2),
            new MaxPool2d((2, 1), stride: (1, 1), padding: (1, 0), dilation: (1, 1)), new BatchNorm2d(6, trackRunningStats: false),
            new AvgPool2d(2, stride: 1, padding: 1, countIncludePad: false), new Dropout(0.5, seed: 3), new GlobalAvgPool2d(), new Flatten(startDim: 1), new Dense(6, 3, seed: 4)),
            Tensor.RandomNormal([3, 2, 8, 8], seed: 12)),
        _ => (new Sequential(
            new Embedding(10, 4, seed: 1), new Lstm(4, 5, numLayers: 2, batchFirst: true, seed: 2), new Gru(5, 5, numLayers: 2, batchFirst: true, seed: 3),
            new Rnn(5, 3, numLayers: 2, nonlinearity: RnnNonlinearity.Relu, bias: false, batchFirst: true, seed: 4), new Dropout(0.2, seed: 5),
            new Rnn(3, 3, numLayers: 2, seed: 6), new Flatten(startDim: 0)),
            Tensor.FromArray(new float[] { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8 }, 3, 4)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SaveThenLoad_GivesBitIdenticalOutputsAndGradients_InTrainingAndInEvaluationMode(string name, DType dtype)
    {
        var (model, input) = Build(name);
        model.To(dtype);
        input = input.ToDType(dtype);
        // A training pass first, so batch-norm statistics and dropout generators are somewhere other than their start.
        ModelFilesTests.OutputAndGradients(model, input);
        foreach (var parameter in model.Parameters()) parameter.Grad = null;
        string path = Path.Combine(_folder, $"{name}.safetensors");
        model.Save(path);
        Module loaded = Model.Load(path);

        Assert.Equal(model.ToString(), loaded.ToString());
        Assert.Equal(dtype, loaded.DType);
        Assert.Equal(model.NamedParameters().Select(p => p.Name), loaded.NamedParameters().Select(p => p.Name));
        Assert.Equal(model.NamedBuffers().Select(b => ModelFilesTests.Bits(b.Buffer)), loaded.NamedBuffers().Select(b => ModelFilesTests.Bits(b.Buffer)));
        for (int pass = 0; pass < 2; pass++)
        {
            var (outputA, gradientsA) = ModelFilesTests.OutputAndGradients(model, input);
            var (outputB, gradientsB) = ModelFilesTests.OutputAndGradients(loaded, input);
            Assert.Equal(ModelFilesTests.Bits(outputA), ModelFilesTests.Bits(outputB));
            Assert.Equal(gradientsA.Select(ModelFilesTests.Bits), gradientsB.Select(ModelFilesTests.Bits));
        }

        model.Eval();
        loaded.Eval();
        Assert.Equal(ModelFilesTests.Bits(model.Forward(input)), ModelFilesTests.Bits(loaded.Forward(input)));
    }

    [Fact]
    public void Save_DescribesEachNewLayerWithItsConstructorArguments()
    {
        var model = new Sequential(new Conv2d(1, 2, (3, 1), padding: (1, 0), bias: false, seed: 1), new Dropout(0.25, seed: 7), new Rnn(2, 3, nonlinearity: RnnNonlinearity.Relu, seed: 2));
        string json = Backprop.IO.ModuleSerializer.ToJson(model);
        Assert.Contains("""{"type":"Conv2d","in_channels":1,"out_channels":2,"kernel_size":[3,1],"stride":[1,1],"padding":[1,0],"dilation":[1,1],"bias":false}""", json);
        Assert.Contains($$"""{"type":"Dropout","p":0.25,"generator_state":"{{((Dropout)model[1]).GeneratorState}}"}""", json);
        Assert.Contains("""{"type":"Rnn","input_size":2,"hidden_size":3,"num_layers":1,"bias":true,"batch_first":false,"nonlinearity":"relu"}""", json);
    }
}

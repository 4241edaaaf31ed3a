using Backprop.IO;

namespace Backprop.Tests.IO;

/// <summary>A malformed architecture entry for any layer type is a one-line ModelFormatException naming the file, the layer's path and the problem.</summary>
public class LayerArchitectureErrorTests
{
    private static string Document(string layer) =>
        $$$"""{"format":"backprop.model","version":1,"dtype":"float32","model":{"type":"Sequential","layers":[{"type":"ReLU"},{{{layer}}}]}}""";

    [Theory]
    [InlineData("""{"type":"Conv2d","in_channels":1,"out_channels":2}""", "(Conv2d): required argument 'kernel_size' is missing")]
    [InlineData("""{"type":"Conv2d","in_channels":1,"out_channels":-2,"kernel_size":3}""", "(Conv2d): Conv2d(1, -2, kernelSize: 3): outChannels must be ≥ 1, got -2.")]
    [InlineData("""{"type":"Conv2d","in_channels":1,"out_channels":2,"kernel_size":[3]}""", "(Conv2d): argument 'kernel_size' must be an integer or [height, width], got [3]")]
    [InlineData("""{"type":"Conv2d","in_channels":1,"out_channels":2,"kernel_size":3,"padding":[0,-1]}""", "padding must be ≥ 0 along height and width, got (0, -1).")]
    [InlineData("""{"type":"Conv2d","in_channels":1,"out_channels":2,"kernel":3}""", "(Conv2d): required argument 'kernel_size' is missing")]
    [InlineData("""{"type":"MaxPool2d","stride":2}""", "(MaxPool2d): required argument 'kernel_size' is missing")]
    [InlineData("""{"type":"MaxPool2d","kernel_size":2,"padding":2}""", "(MaxPool2d): MaxPool2d(kernelSize: 2, padding: 2): padding must be at most half the kernel size 2, got 2.")]
    [InlineData("""{"type":"AvgPool2d","kernel_size":-2}""", "(AvgPool2d): AvgPool2d(kernelSize: -2): kernelSize must be ≥ 1 along height and width, got -2.")]
    [InlineData("""{"type":"AvgPool2d","kernel_size":2,"count_include_pad":1}""", "(AvgPool2d): argument 'count_include_pad' must be true or false, got 1")]
    [InlineData("""{"type":"GlobalAvgPool2d","size":1}""", "(GlobalAvgPool2d): unknown argument 'size' (this version reads none)")]
    [InlineData("""{"type":"Flatten","start_dim":-1}""", "(Flatten): Flatten: startDim must be ≥ 0, got -1.")]
    [InlineData("""{"type":"Dropout","p":1.5}""", "(Dropout): Dropout: the drop probability p must be in [0, 1), got 1.5.")]
    [InlineData("""{"type":"Dropout","p":0.5,"generator_state":"-1"}""", "(Dropout): argument 'generator_state' must be a decimal integer in 0..18446744073709551615, got \"-1\"")]
    [InlineData("""{"type":"Dropout","p":0.5,"generator_state":12}""", "(Dropout): argument 'generator_state' must be a string, got 12")]
    [InlineData("""{"type":"BatchNorm1d"}""", "(BatchNorm1d): required argument 'num_features' is missing")]
    [InlineData("""{"type":"BatchNorm2d","num_features":-4}""", "(BatchNorm2d): BatchNorm2d: numFeatures must be ≥ 1, got -4.")]
    [InlineData("""{"type":"BatchNorm1d","num_features":4,"momentum":2}""", "(BatchNorm1d): BatchNorm1d: momentum must be in [0, 1], got 2.")]
    [InlineData("""{"type":"LayerNorm"}""", "(LayerNorm): required argument 'normalized_shape' is missing")]
    [InlineData("""{"type":"LayerNorm","normalized_shape":[4,-1]}""", "(LayerNorm): LayerNorm: every dimension of normalizedShape must be ≥ 1, got [4, -1].")]
    [InlineData("""{"type":"LayerNorm","normalized_shape":[]}""", "(LayerNorm): LayerNorm: normalizedShape must name at least one dimension, got [].")]
    [InlineData("""{"type":"LayerNorm","normalized_shape":4}""", "(LayerNorm): argument 'normalized_shape' must be an array of integers, got 4")]
    [InlineData("""{"type":"Standardize"}""", "(Standardize): required argument 'features' is missing")]
    [InlineData("""{"type":"Standardize","features":-3}""", "(Standardize): Standardize: features must be ≥ 1, got -3.")]
    [InlineData("""{"type":"Embedding","dimension":4}""", "(Embedding): required argument 'vocabulary' is missing")]
    [InlineData("""{"type":"Embedding","vocabulary":10,"dimension":-1}""", "(Embedding): Embedding: dimension must be ≥ 1, got -1.")]
    [InlineData("""{"type":"Lstm","input_size":3,"hidden_size":-5}""", "(Lstm): Lstm: hiddenSize must be ≥ 1, got -5.")]
    [InlineData("""{"type":"Gru","hidden_size":5}""", "(Gru): required argument 'input_size' is missing")]
    [InlineData("""{"type":"Rnn","input_size":3,"hidden_size":5,"num_layers":0}""", "(Rnn): Rnn: numLayers must be ≥ 1, got 0.")]
    [InlineData("""{"type":"Rnn","input_size":3,"hidden_size":5,"nonlinearity":"sigmoid"}""", "(Rnn): argument 'nonlinearity' must be \"tanh\" or \"relu\", got \"sigmoid\"")]
    public void FromJson_OfABadEntryForANewLayer_NamesTheFileThePathAndTheProblem(string layer, string expected)
    {
        var exception = Assert.Throws<ModelFormatException>(() => ModuleSerializer.FromJson(Document(layer), "m.safetensors"));
        Assert.StartsWith("m.safetensors: layer model.layers[1] (", exception.Message);
        Assert.Contains(expected, exception.Message);
        Assert.DoesNotContain('\n', exception.Message);
    }

    [Theory]
    [InlineData("""{"type":"Conv2d","in_channels":2000000000,"out_channels":2000000000,"kernel_size":[2000000000,2000000000]}""")]
    [InlineData("""{"type":"Embedding","vocabulary":2000000000,"dimension":2000000000}""")]
    [InlineData("""{"type":"LayerNorm","normalized_shape":[2000000000,2000000000,2000000000,2000000000,2000000000]}""")]
    [InlineData("""{"type":"Lstm","input_size":2000000000,"hidden_size":2000000000,"num_layers":2000000000}""")]
    [InlineData("""{"type":"Standardize","features":2000000000}""")]
    [InlineData("""{"type":"BatchNorm2d","num_features":2000000000}""")]
    public void FromJson_RefusesHugeSizes_BeforeAllocating_EvenWhenTheirProductOverflows(string layer)
    {
        var exception = Assert.Throws<ModelFormatException>(() => ModuleSerializer.FromJson(Document(layer), "big.safetensors", maxElements: 1000));
        Assert.Contains("layer model.layers[1]", exception.Message);
        Assert.Contains("more than the 1000 the file's tensors still hold", exception.Message);
    }

    [Fact]
    public void FromJson_AcceptsPairsAsOneIntegerOrTwo_AndLeavesOutDefaults()
    {
        var model = (Backprop.NN.Sequential)ModuleSerializer.FromJson(Document("""{"type":"Conv2d","in_channels":1,"out_channels":2,"kernel_size":[3,2],"stride":2}"""), "m");
        var conv = (Backprop.NN.Conv2d)model[1];
        Assert.Equal((3, 2), conv.KernelSize);
        Assert.Equal((2, 2), conv.Stride);
        Assert.Equal((0, 0), conv.Padding);
        Assert.NotNull(conv.Bias);
    }
}

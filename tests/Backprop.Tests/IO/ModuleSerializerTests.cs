using System.Text.Json.Nodes;
using Backprop.IO;
using Backprop.NN;

namespace Backprop.Tests.IO;

public class ModuleSerializerTests
{
    private static string Document(string model, int version = 1, string dtype = "float32") =>
        $$"""{"format":"backprop.model","version":{{version}},"dtype":"{{dtype}}","model":{{model}}}""";

    [Fact]
    public void ToJson_ThenFromJson_RebuildsTheSameArchitecture()
    {
        var model = new Sequential(new Dense(4, 3, bias: false, seed: 1), new LeakyReLU(0.3), new ELU(0.5), new Softmax());
        Module rebuilt = ModuleSerializer.FromJson(ModuleSerializer.ToJson(model), "m");
        Assert.Equal(model.ToString(), rebuilt.ToString());
    }

    [Theory]
    [InlineData("""{"type":"Sequential","layers":[{"type":"Dense","inputs":2,"outputs":2},{"type":"Conv9d"}]}""", "m.json: layer model.layers[1]: unknown layer type \"Conv9d\"")]
    [InlineData("""{"type":"Sequential","layers":[{"type":"Dense","outputs":2}]}""", "m.json: layer model.layers[0] (Dense): required argument 'inputs' is missing")]
    [InlineData("""{"type":"Sequential","layers":[{"type":"Dense","inputs":"2","outputs":2}]}""", "m.json: layer model.layers[0] (Dense): argument 'inputs' must be an integer, got \"2\"")]
    [InlineData("""{"type":"Sequential","layers":[{"type":"Dense","inputs":2.5,"outputs":2}]}""", "argument 'inputs' must be an integer, got 2.5")]
    [InlineData("""{"type":"Sequential","layers":[{"type":"Dense","inputs":-3,"outputs":2}]}""", "m.json: layer model.layers[0] (Dense): Dense: inputs must be ≥ 1, got -3.")]
    [InlineData("""{"type":"Sequential","layers":[{"type":"Dense","inputs":2,"outputs":2,"bais":true}]}""", "unknown argument 'bais'")]
    [InlineData("""{"type":"LeakyReLU","negative_slope":true}""", "argument 'negative_slope' must be a finite number, got true")]
    [InlineData("""{"type":"Sequential","layers":{"type":"ReLU"}}""", "layer model (Sequential): argument 'layers' must be an array of layers")]
    [InlineData("""[1, 2]""", "layer model: expected a JSON object with a \"type\", got [1,2]")]
    [InlineData("""{"type":7}""", "layer model: \"type\" must be a string, got 7")]
    public void FromJson_OfABadLayer_NamesTheFileThePathAndTheProblem(string model, string expected)
    {
        var exception = Assert.Throws<ModelFormatException>(() => ModuleSerializer.FromJson(Document(model), "m.json"));
        Assert.Contains(expected, exception.Message);
        Assert.DoesNotContain('\n', exception.Message);
    }

    [Theory]
    [InlineData("{", "the architecture is not valid JSON")]
    [InlineData("""{"format":"keras","version":1,"dtype":"float32","model":{"type":"ReLU"}}""", "\"format\" must be \"backprop.model\"")]
    [InlineData("""{"format":"backprop.model","version":2,"dtype":"float32","model":{"type":"ReLU"}}""", "version 2, newer than the version 1")]
    [InlineData("""{"format":"backprop.model","version":1,"dtype":"int8","model":{"type":"ReLU"}}""", "\"dtype\" must be \"float32\" or \"float64\", got \"int8\"")]
    [InlineData("""{"format":"backprop.model","model":{"type":"ReLU"}}""", "\"version\" must be a positive integer, got nothing")]
    public void FromJson_OfABadDocument_SaysWhatIsWrong(string json, string expected)
    {
        var exception = Assert.Throws<ModelFormatException>(() => ModuleSerializer.FromJson(json, "m.json"));
        Assert.StartsWith("m.json: ", exception.Message);
        Assert.Contains(expected, exception.Message);
    }

    [Fact]
    public void FromJson_RefusesLayersLargerThanTheElementBudget_BeforeAllocating()
    {
        string json = Document("""{"type":"Sequential","layers":[{"type":"Dense","inputs":2000000000,"outputs":2000000000}]}""");
        var exception = Assert.Throws<ModelFormatException>(() => ModuleSerializer.FromJson(json, "big.safetensors", maxElements: 100));
        Assert.Contains("more than the 100 the file's tensors still hold", exception.Message);
    }

    [Fact]
    public void Register_AddsANewLayerType_InAFewLines()
    {
        ModuleSerializer.Register<Scale>("Test.Scale",
            scale => new JsonObject { ["factor"] = scale.Factor },
            arguments => new Scale(arguments.GetDouble("factor")));
        var model = new Sequential(new Dense(2, 2, seed: 1), new Scale(2.5));
        var rebuilt = (Sequential)ModuleSerializer.FromJson(ModuleSerializer.ToJson(model), "m");
        Assert.Equal(2.5, ((Scale)rebuilt[1]).Factor);
    }

    private sealed class Scale(double factor) : Module
    {
        public double Factor { get; } = factor;

        public override Tensor Forward(Tensor input) => input * Factor;
    }
}

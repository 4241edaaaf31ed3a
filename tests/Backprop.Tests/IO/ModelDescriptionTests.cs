using System.Text.Json.Nodes;
using Backprop.IO;
using Backprop.NN;

namespace Backprop.Tests.IO;

public class ModelDescriptionTests
{
    [Fact]
    public void SaveThenRead_GivesBackEveryField()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        var description = new ModelDescription
        {
            InputShape = [3, 32, 32],
            Task = ModelTask.Classification,
            ClassNames = ["cat", "dog", "zébu, \"the\" ox"],
            OutputsAreLogits = false,
            Preprocessing = new JsonObject { ["kind"] = "image", ["size"] = new JsonArray(32, 32) },
        };

        new Sequential(new Flatten(), new Dense(3 * 32 * 32, 3, seed: 1)).Save(path, description);
        var read = ModelDescription.Read(path)!;

        Assert.Equal([3, 32, 32], read.InputShape);
        Assert.Equal(ModelTask.Classification, read.Task);
        Assert.Equal(["cat", "dog", "zébu, \"the\" ox"], read.ClassNames);
        Assert.False(read.OutputsAreLogits);
        Assert.Equal("""{"kind":"image","size":[32,32]}""", read.Preprocessing!.ToJsonString());
        Assert.NotNull(Model.Load(path));
    }

    [Fact]
    public void Read_OfAFileSavedWithout_IsNull_AndTheKeyIsTheFilesOwn()
    {
        using var folder = new TempFolder();
        string path = folder.File("plain.safetensors");
        var model = new Sequential(new Dense(2, 2, seed: 1));
        model.Save(path);
        Assert.Null(ModelDescription.Read(path));
        var error = Assert.Throws<ArgumentException>(() => model.Save(path, new Dictionary<string, string> { [ModelDescription.MetadataKey] = "{}" }));
        Assert.Contains("backprop.description", error.Message);
    }

    [Fact]
    public void Regression_WithoutClassNames_RoundTrips()
    {
        var description = ModelDescription.FromJson(new ModelDescription { Task = ModelTask.Regression, InputShape = [10] }.ToJson(), "m");
        Assert.Equal(ModelTask.Regression, description.Task);
        Assert.Null(description.ClassNames);
        Assert.Null(description.Preprocessing);
    }

    [Theory]
    [InlineData("""{"version":2}""", "version 2, newer than the version 1")]
    [InlineData("""{"version":1,"colour":1}""", "unknown field 'colour'")]
    [InlineData("""{"version":1,"task":"ranking"}""", "\"task\" must be \"classification\" or \"regression\"")]
    [InlineData("""{"version":1,"input_shape":[3,0]}""", "\"input_shape\" must be 1 to 8 integers ≥ 1")]
    [InlineData("""{"version":1,"class_names":["a",2]}""", "\"class_names\"[1] must be a string")]
    [InlineData("""{"version":1,"preprocessing":{"size":1}}""", "\"preprocessing\" must be an object with a string \"kind\"")]
    [InlineData("""[1]""", "is not a JSON object")]
    [InlineData("""{"version":1""", "is not valid JSON")]
    public void FromJson_OfAMalformedDescription_NamesTheSourceAndTheProblem(string json, string problem)
    {
        var error = Assert.Throws<ModelFormatException>(() => ModelDescription.FromJson(json, "hostile.safetensors"));
        Assert.Contains("hostile.safetensors", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void FromJson_QuotesAHostileValueShortAndWithoutControlCharacters()
    {
        string key = "\u001b[31m" + new string('x', 100_000);
        var error = Assert.Throws<ModelFormatException>(() => ModelDescription.FromJson($$"""{"version":1,"{{key.Replace("\u001b", "\\u001b")}}":1}""", "f"));
        Assert.DoesNotContain('\u001b', error.Message);
        Assert.Contains("\\u001b[31m", error.Message);
        Assert.True(error.Message.Length < 200, error.Message);
    }
}

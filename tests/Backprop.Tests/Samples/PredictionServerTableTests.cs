using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Backprop.Data;
using Backprop.IO;
using Backprop.NN;
using Backprop.Training;
using PredictionServer;

namespace Backprop.Tests.Samples;

/// <summary>samples/PredictionServer takes a table model's raw records and applies the preprocessing its file stores.</summary>
public sealed class PredictionServerTableTests
{
    [Fact]
    public async Task Records_OfAClassifierTrainedOnATable_GetThePreprocessedPredictionAndTheClassName()
    {
        using var folder = new TempFolder();
        var preprocessor = TableData.Load(WriteTable(folder, "kind", row => (row % 3) switch { 0 => "small", 1 => "medium", _ => "large" }),
            new TableOptions { LabelColumn = "kind" }, seed: 1).Preprocessor;
        var model = new Sequential(new Dense(preprocessor.FeatureCount, 3, seed: 4));
        model.Save(folder.File("kinds.safetensors"), new ModelDescription
        {
            InputShape = [preprocessor.FeatureCount], ClassNames = preprocessor.ClassNames, Preprocessing = preprocessor.ToJson(),
        });
        await using var server = await PredictionServerHost.Start(folder.File("kinds.safetensors"));
        using var client = new HttpClient { BaseAddress = server.Address };

        // A number, a string, null, an absent column and the label column itself, each read as a CSV cell would be.
        const string body = """{"records": [{"size": 3.5, "colour": "red"}, {"size": "12", "colour": null, "kind": "large"}, {"colour": "blue"}]}""";
        var cells = new[]
        {
            new Dictionary<string, string?> { ["size"] = "3.5", ["colour"] = "red" },
            new Dictionary<string, string?> { ["size"] = "12" },
            new Dictionary<string, string?> { ["colour"] = "blue" },
        };
        var answer = await Post(client, body);

        for (int i = 0; i < cells.Length; i++)
        {
            var expected = Predictor.Probabilities(model, Tensor.FromArray(preprocessor.Transform(cells[i]), 1, preprocessor.FeatureCount));
            Assert.Equal(expected, answer.Predictions[i].Probabilities);
            int best = Array.IndexOf(expected, expected.Max());
            Assert.Equal(best, answer.Predictions[i].Class);
            Assert.Equal(preprocessor.ClassNames[best], answer.Predictions[i].Label);
        }
        var health = JsonDocument.Parse(await client.GetStringAsync("/health")).RootElement;
        Assert.Equal("classification", health.GetProperty("task").GetString());
        Assert.Equal(["size", "colour"], health.GetProperty("columns").EnumerateArray().Select(column => column.GetString()));
    }

    [Fact]
    public async Task Records_OfARegressionModelTrainedOnATable_GetTheValueInTheTargetsUnits()
    {
        using var folder = new TempFolder();
        var preprocessor = TableData.Load(WriteTable(folder, "price", row => (100 + 7 * row).ToString(CultureInfo.InvariantCulture)),
            new TableOptions { LabelColumn = "price", Task = ModelTask.Regression }, seed: 1).Preprocessor;
        var model = new Sequential(new Dense(preprocessor.FeatureCount, 1, seed: 4));
        model.Save(folder.File("price.safetensors"), new ModelDescription
        {
            InputShape = [preprocessor.FeatureCount], Task = ModelTask.Regression, ClassNames = [], OutputsAreLogits = false, Preprocessing = preprocessor.ToJson(),
        });
        await using var server = await PredictionServerHost.Start(folder.File("price.safetensors"));
        using var client = new HttpClient { BaseAddress = server.Address };

        var answer = await Post(client, """{"records": [{"size": 20, "colour": "green"}]}""");

        double output = model.Predict(Tensor.FromArray(preprocessor.Transform(new Dictionary<string, string?> { ["size"] = "20", ["colour"] = "green" }), 1, preprocessor.FeatureCount)).Item();
        // The network learns the standardised target: the answer is output × σ + μ of the training prices.
        Assert.Equal((float)(output * preprocessor.TargetStandardDeviation + preprocessor.TargetMean), answer.Predictions[0].Value);
        Assert.Null(answer.Predictions[0].Probabilities);
        Assert.Null(answer.Predictions[0].Class);
        var health = JsonDocument.Parse(await client.GetStringAsync("/health")).RootElement;
        Assert.Equal("regression", health.GetProperty("task").GetString());
        Assert.False(health.TryGetProperty("classes", out _));
    }

    [Fact]
    public async Task BadRecords_GetA400_ThatNamesTheRecordAndTheColumn()
    {
        using var folder = new TempFolder();
        var preprocessor = TableData.Load(WriteTable(folder, "kind", row => row % 2 == 0 ? "even" : "odd"), new TableOptions { LabelColumn = "kind" }, seed: 1).Preprocessor;
        new Sequential(new Dense(preprocessor.FeatureCount, 2, seed: 4)).Save(folder.File("table.safetensors"), new ModelDescription
        {
            InputShape = [preprocessor.FeatureCount], ClassNames = preprocessor.ClassNames, Preprocessing = preprocessor.ToJson(),
        });
        new Sequential(new Dense(2, 2, seed: 1)).Save(folder.File("plain.safetensors"));
        await using var table = await PredictionServerHost.Start(folder.File("table.safetensors"));
        using var client = new HttpClient { BaseAddress = table.Address };

        await PredictionServerTests.AssertRefused(client, """{"records": [{"size": 1}, {"colr": "red"}]}""", HttpStatusCode.BadRequest, "record 1 has a column \"colr\" the model does not know; its columns are \"size\", \"colour\"");
        await PredictionServerTests.AssertRefused(client, """{"records": [{"size": "big"}]}""", HttpStatusCode.BadRequest, "record 0: column 'size' value 'big'");
        await PredictionServerTests.AssertRefused(client, """{"records": [{"size": [1]}]}""", HttpStatusCode.BadRequest, "record 0: column \"size\" must be a string, a number or null, got array");
        await PredictionServerTests.AssertRefused(client, """{"records": [null]}""", HttpStatusCode.BadRequest, "record 0 is null");
        await PredictionServerTests.AssertRefused(client, """{"records": []}""", HttpStatusCode.BadRequest, "records is empty");
        await PredictionServerTests.AssertRefused(client, """{"rows": [[1]], "records": [{"size": 1}]}""", HttpStatusCode.BadRequest, "not both");
        await PredictionServerTests.AssertRefused(client, """{"records": [{"size\nx": 1}]}""", HttpStatusCode.BadRequest, "\"size\\nx\"");

        await using var plain = await PredictionServerHost.Start(folder.File("plain.safetensors"));
        using var plainClient = new HttpClient { BaseAddress = plain.Address };
        await PredictionServerTests.AssertRefused(plainClient, """{"records": [{"size": 1}]}""", HttpStatusCode.BadRequest, "this model was not trained on a table, so it takes \"rows\" of 2 numbers");
    }

    /// <summary>A table of 40 rows: a numeric column with gaps, a text column, and the label column from <paramref name="label"/>.</summary>
    private static string WriteTable(TempFolder folder, string labelColumn, Func<int, string> label)
    {
        var csv = new StringBuilder($"size,colour,{labelColumn}\n");
        string[] colours = ["red", "green", "blue"];
        for (int row = 0; row < 40; row++)
            csv.Append(row % 7 == 3 ? "" : (row * 0.5).ToString(CultureInfo.InvariantCulture)).Append(',').Append(colours[row % 3]).Append(',').Append(label(row)).Append('\n');
        string path = folder.File($"{labelColumn}.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    private static async Task<PredictResponse> Post(HttpClient client, string body)
    {
        using var response = await client.PostAsync("/predict", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PredictResponse>())!;
    }
}

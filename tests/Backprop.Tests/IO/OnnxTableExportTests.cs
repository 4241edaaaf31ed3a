using System.Globalization;
using Backprop.Data;
using Backprop.IO;
using Backprop.NN;
using Backprop.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Backprop.Tests.IO;

/// <summary>A table model exported with its preprocessing: ONNX Runtime on raw values must give what backprop gives on the raw rows.</summary>
public sealed class OnnxTableExportTests
{
    private const string Training = "size,city,rooms,colour,y\n" +
        "1.5,York,3,red,10.5\n2.5,Leeds,,blue,12\nNA,York,2,red,9\n4,Hull,5,,20\n3,,4,green,15.5\n" +
        "2,York,3,red,11\n5,Leeds,1,blue,7\n,York,2,green,8.25\n3.5,Bath,4,red,16\n1,Leeds,2,blue,6\n";

    // Unseen city (Ely), missing cells of every kind, a marker (?) in a categorical column.
    private const string Fresh = "size,city,rooms,colour\n2,Ely,3,red\nNA,York,,?\n4.5,,1,blue\n0.5,Leeds,6,green\n";

    [Theory]
    [InlineData(null, FeatureScaling.Standard, false)]
    [InlineData(ModelTask.Classification, FeatureScaling.MinMax, true)]
    public void ExportedTableModel_InOnnxRuntime_MatchesBackprop_OnRawValues(ModelTask? task, FeatureScaling scaling, bool indicators)
    {
        using var folder = new TempFolder();
        var data = TableData.Load(folder.Write("train.csv", Training),
            new TableOptions { Task = task, Scaling = scaling, MissingIndicators = indicators, MaxCategories = 3 }, validationFraction: 0);
        var preprocessor = data.Preprocessor;
        int outputs = preprocessor.Task == ModelTask.Regression ? 1 : preprocessor.ClassNames.Count;
        var model = new Sequential(new Dense(preprocessor.FeatureCount, 8, seed: 1), new ReLU(), new Dense(8, outputs, seed: 2));
        string onnx = folder.File("table.onnx");
        var notes = OnnxExporter.ExportTable(model, onnx, preprocessor);
        Assert.NotEmpty(notes);

        var batch = Assert.Single(TableSource.Open(folder.Write("fresh.csv", Fresh), preprocessor, labelled: false).ReadBatches(10));
        float[] expected = model.Predict(Tensor.FromArray(batch.Features, batch.Count, preprocessor.FeatureCount)).ToFloatArray();
        if (preprocessor.Task == ModelTask.Regression) expected = [.. expected.Select(value => (float)preprocessor.ToTarget(value))];

        // The raw cells as the graph takes them: numbers with NaN for a missing one, text as written.
        var rows = Fresh.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')).ToArray();
        float Number(string cell) => cell is "" or "NA" ? float.NaN : float.Parse(cell, CultureInfo.InvariantCulture);
        var numeric = new DenseTensor<float>([rows.Length, 2]);
        var categorical = new DenseTensor<string>([rows.Length, 2]);
        for (int r = 0; r < rows.Length; r++)
        {
            numeric[r, 0] = Number(rows[r][0]);
            numeric[r, 1] = Number(rows[r][2]);
            categorical[r, 0] = rows[r][1];
            categorical[r, 1] = rows[r][3];
        }
        using var session = new InferenceSession(onnx);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("numeric", numeric), NamedOnnxValue.CreateFromTensor("categorical", categorical)]);
        float[] actual = results.Single(result => result.Name == "output").AsTensor<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"element {i}: backprop {expected[i]}, ONNX Runtime {actual[i]}");
    }
}

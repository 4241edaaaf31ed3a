using System.Globalization;
using Backprop.Cli.Commands;
using Backprop.Cli.Models;
using Backprop.Data;
using Backprop.Images;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Cli.Data;

/// <summary>
/// <c>backprop predict</c> for an image model: one image file, or every image file under a folder, prepared as the
/// model file says, predicted a batch at a time (so a large folder streams) and written as CSV rows
/// <c>file,predicted,p_&lt;class&gt;…</c>, <c>file</c> relative to <c>--data</c>, rows in ordinal order of the paths.
/// </summary>
internal static class ImagePrediction
{
    private const int BatchSize = 64;

    public static void Write(TextWriter writer, Module model, ModelInfo info, string path, bool skipBadImages, TextWriter warnings)
    {
        var transform = info.ImageTransform!;
        var files = ImageFolder.Files(path);
        if (files.Count == 0)
            throw new DataFormatException(path, $"no image files ({string.Join(", ", ImageDecoder.Extensions)}) in this folder");
        string? folder = Directory.Exists(path) ? path : null;
        bool probabilities = info.Loss != "mse";
        int classes = info.ClassNames.Count;
        writer.WriteLine(string.Join(',', ["file", "predicted", .. info.ClassNames.Select(name => PredictCommand.Field((probabilities ? "p_" : "score_") + name))]));

        var skipped = new List<SkippedImage>();
        for (int start = 0; start < files.Count; start += BatchSize)
        {
            var batch = files.Skip(start).Take(BatchSize).ToArray();
            var pixels = new float[batch.Length][];
            var problems = new string?[batch.Length];
            Parallel.For(0, batch.Length, i =>
            {
                try
                {
                    pixels[i] = transform.Load(batch[i]);
                }
                catch (DataFormatException e) when (skipBadImages)
                {
                    problems[i] = e.Problem;
                }
            });
            var readable = Enumerable.Range(0, batch.Length).Where(i => problems[i] is null).ToArray();
            skipped.AddRange(Enumerable.Range(0, batch.Length).Where(i => problems[i] is not null).Select(i => new SkippedImage(batch[i], problems[i]!)));
            if (readable.Length == 0) continue;

            var inputs = Tensor.FromArray([.. readable.SelectMany(i => pixels[i])], [readable.Length, .. transform.Shape]);
            var outputs = model.Predict(inputs);
            var values = (probabilities ? outputs.Softmax() : outputs).ToDoubleArray();
            var predicted = ModuleTraining.PredictedClasses(outputs);
            for (int row = 0; row < readable.Length; row++)
            {
                string file = folder is null ? Path.GetFileName(batch[readable[row]]) : Path.GetRelativePath(folder, batch[readable[row]]);
                var fields = new List<string>(classes + 2) { PredictCommand.Field(file.Replace('\\', '/')), PredictCommand.Field(info.ClassNames[predicted[row]]) };
                for (int c = 0; c < classes; c++) fields.Add(values[row * classes + c].ToString("G6", CultureInfo.InvariantCulture));
                writer.WriteLine(string.Join(',', fields));
            }
        }
        ImageData.Warn(warnings, skipped);
    }
}

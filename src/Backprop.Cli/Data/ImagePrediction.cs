using System.Globalization;
using Backprop.Cli.Commands;
using Backprop.Cli.Models;
using Backprop.Cli.Output;
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
    // Batched here rather than through ImageSource (whose decoding, ImageTransform.Load's, it shares): with
    // --skip-bad-images a bad file must drop one row and the rest stream on, but an ImageSource's batches do not say
    // which files they hold and a bad file ends them, so it could only skip after decoding every image once beforehand.
    // Here a batch is also decoded on every core, where a training source decodes on one thread beside the training.
    private const int BatchSize = 64;

    /// <summary>Writes a row per image; returns how many rows got no class because their outputs are not numbers.</summary>
    public static int Write(TextWriter writer, Module model, ModelInfo info, string path, bool skipBadImages, TextWriter warnings)
    {
        int unpredicted = 0;
        var transform = info.ImageTransform!;
        var files = ImageFolder.Files(path);
        if (files.Count == 0)
            throw new DataFormatException(path, $"no image files ({string.Join(", ", ImageDecoder.Extensions)}) in this folder");
        string? folder = Directory.Exists(path) ? path : null;
        bool probabilities = info.Loss != "mse";
        int classes = info.ClassNames.Count;
        writer.WriteLine(string.Join(',', ["file", "predicted", .. info.ClassNames.Select(name => CsvCells.Text((probabilities ? "p_" : "score_") + name))]));

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
                catch (DataFormatException e)
                {
                    problems[i] = e.Problem;
                }
            });
            // Thrown here, not inside Parallel.For, which would wrap it in an AggregateException the error handler does not know.
            if (!skipBadImages && Array.FindIndex(problems, p => p is not null) is int bad and >= 0)
                throw new DataFormatException(batch[bad], problems[bad]!);
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
                // A row whose outputs are not numbers gets no class rather than the one a NaN happened to win.
                bool finite = values.AsSpan(row * classes, classes).IndexOfAnyExceptInRange(double.MinValue, double.MaxValue) < 0;
                if (!finite) unpredicted++;
                var fields = new List<string>(classes + 2) { CsvCells.Text(file.Replace('\\', '/')), finite ? CsvCells.Text(info.ClassNames[predicted[row]]) : "" };
                for (int c = 0; c < classes; c++) fields.Add(CsvCells.Number(values[row * classes + c]));
                writer.WriteLine(CsvCells.Row(fields));
            }
        }
        ImageData.Warn(warnings, skipped);
        return unpredicted;
    }
}

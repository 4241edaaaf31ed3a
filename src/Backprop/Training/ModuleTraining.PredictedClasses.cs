using System.Numerics;

namespace Backprop.Training;

/// <summary>
/// Which class a row of outputs predicts (the arg-max, the first of equal maxima; output &gt; 0.5 for a single output),
/// for callers of <see cref="Predict(NN.Module, Tensor, int)"/> and for the accuracy <see cref="Fit"/> counts during an epoch.
/// </summary>
public static partial class ModuleTraining
{
    /// <summary>The predicted class per row: the arg-max of the outputs, or output &gt; 0.5 for a single output.</summary>
    public static int[] PredictedClasses(Tensor outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        int width = outputs.Dims[^1], rows = outputs.Length / Math.Max(width, 1);
        var values = outputs.ToDoubleArray();
        var classes = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            if (width == 1) { classes[r] = values[r] > 0.5 ? 1 : 0; continue; }
            int best = 0;
            for (int c = 1; c < width; c++) if (values[r * width + c] > values[r * width + best]) best = c;
            classes[r] = best;
        }
        return classes;
    }

    /// <summary>How many rows' predicted class (as <see cref="PredictedClasses"/>) equals the label, read in place.</summary>
    private static int CountCorrect(Tensor output, int[] labels) => output.DType == DType.Float32
        ? CountCorrect(output.Span<float>(), output.Dims[^1], labels)
        : CountCorrect(output.Span<double>(), output.Dims[^1], labels);

    private static int CountCorrect<T>(ReadOnlySpan<T> values, int width, int[] labels) where T : unmanaged, INumber<T>
    {
        int correct = 0;
        T half = T.CreateChecked(0.5);
        for (int r = 0; r < labels.Length; r++)
        {
            int best = 0;
            if (width == 1) best = values[r] > half ? 1 : 0;
            else
            {
                var row = values.Slice(r * width, width);
                for (int c = 1; c < width; c++) if (row[c] > row[best]) best = c;
            }
            if (best == labels[r]) correct++;
        }
        return correct;
    }
}

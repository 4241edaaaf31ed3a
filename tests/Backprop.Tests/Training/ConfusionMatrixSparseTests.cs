using Backprop.Training;

namespace Backprop.Tests.Training;

/// <summary>The confusion matrix stores only the pairs that occur, so many classes cost the memory of the examples.</summary>
public class ConfusionMatrixSparseTests
{
    [Fact]
    public void NonZeroCells_ListEveryPairThatOccurs_InOrder_WithItsCount()
    {
        // Hand count: (0,0)×2, (0,1)×1, (1,1)×1, (1,2)×1, (2,2)×1.
        var matrix = new ConfusionMatrix([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 3);

        Assert.Equal([(0, 0, 2), (0, 1, 1), (1, 1, 1), (1, 2, 1), (2, 2, 1)], matrix.NonZeroCells());
        Assert.Equal(0, matrix[2, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix[3, 0]);
    }

    [Fact]
    public void AHundredThousandClasses_CountOnlyTheirExamples()
    {
        // 10¹⁰ cells as a full table would be 40 GB; 1,000 examples make at most 1,000 cells.
        const int classes = 100_000;
        int[] actual = [.. Enumerable.Range(0, 1000).Select(i => i * 97)];
        int[] predicted = [.. actual.Select((a, i) => i % 2 == 0 ? a : 5)];
        long before = GC.GetAllocatedBytesForCurrentThread();

        var matrix = new ConfusionMatrix(actual, predicted, classes);

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 10L << 20);
        Assert.Equal(0.5, matrix.Accuracy);
        Assert.Equal(1000, matrix.NonZeroCells().Sum(cell => cell.Count));
        // Class 5 is predicted for the 500 odd rows and is never an actual class: precision 0, support 0.
        Assert.Equal(0, matrix.Precision(5));
        Assert.Equal(0, matrix.Support(5));
        Assert.Equal(1, matrix.Recall(0));
        Assert.Equal(0, matrix.Recall(97));
    }
}

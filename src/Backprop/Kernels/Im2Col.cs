using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Backprop.Kernels;

/// <summary>
/// Unfolds the windows of a convolution into a matrix so the convolution becomes one GEMM, and
/// folds such a matrix back for the input gradient.
/// </summary>
/// <remarks>
/// For one sample <c>x[C, H, W]</c>, column matrix row <c>(c·kh + i)·kw + j</c>, column
/// <c>oh·OW + ow</c> holds <c>x[c, oh·sH − pH + i·dH, ow·sW − pW + j·dW]</c>, or 0 where that
/// falls in the padding. With a PyTorch Conv2d weight <c>[Cout, C, kh, kw]</c> read as
/// <c>[Cout, C·kh·kw]</c>, <c>weight × columns</c> is the output <c>[Cout, OH·OW]</c>.
/// </remarks>
internal static class Im2ColKernels
{
    /// <summary>Writes every window of <paramref name="image"/> into <paramref name="columns"/> (overwriting).</summary>
    /// <param name="image">One sample, <c>[C, H, W]</c>.</param>
    /// <param name="channels">C.</param>
    /// <param name="g">The window geometry.</param>
    /// <param name="columns">Receives <c>[C·kh·kw, OH·OW]</c>.</param>
    public static void Im2Col<T>(ReadOnlySpan<T> image, int channels, ConvGeometry g, Span<T> columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int columnRows = CheckShapes(image.Length, channels, g, columns.Length, nameof(image), nameof(columns));
        int planeSize = g.InputPlaneSize, channelColumns = columnRows / channels * g.OutputPlaneSize;
        if (PlaneParallel.IsWorthIt(channels, columns.Length))
        {
            Im2ColParallel(image, channels, g, columns, planeSize, channelColumns);
            return;
        }

        for (int c = 0; c < channels; c++)
        {
            UnfoldChannel(image.Slice(c * planeSize, planeSize), g, columns.Slice(c * channelColumns, channelColumns), g.OutputPlaneSize);
        }
    }

    /// <summary>
    /// <see cref="Im2Col{T}"/> on the calling thread into rows <paramref name="rowStride"/> elements apart: one sample's
    /// block of the batched columns <c>[C·kh·kw, N·OH·OW]</c>, written in place rather than unfolded into scratch and copied.
    /// </summary>
    /// <param name="image">One sample, <c>[C, H, W]</c>.</param>
    /// <param name="channels">C.</param>
    /// <param name="g">The window geometry.</param>
    /// <param name="columns">Receives row r of the sample's columns at <c>[r·rowStride, r·rowStride + OH·OW)</c>.</param>
    /// <param name="rowStride">Distance between rows, at least <c>OH·OW</c>.</param>
    internal static void Im2ColStrided<T>(ReadOnlySpan<T> image, int channels, ConvGeometry g, Span<T> columns, int rowStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int kernelRows = g.KernelHeight * g.KernelWidth, outputPlane = g.OutputPlaneSize, planeSize = g.InputPlaneSize;
        KernelChecks.RequireLength(image.Length, nameof(image), "[C={0}, H={1}, W={2}]", channels, g.InputHeight, g.InputWidth);
        if (rowStride < outputPlane || columns.Length < ((long)((channels * kernelRows) - 1) * rowStride) + outputPlane)
        {
            throw new ArgumentException(
                $"Im2Col: {columns.Length} elements with row stride {rowStride} cannot hold {channels * kernelRows} rows of {outputPlane}.", nameof(columns));
        }

        for (int c = 0; c < channels; c++)
        {
            UnfoldChannel(image.Slice(c * planeSize, planeSize), g, columns[(c * kernelRows * rowStride)..], rowStride);
        }
    }

    // Apart from the serial path because the lambda's captures would otherwise be allocated on every call.
    private static unsafe void Im2ColParallel<T>(ReadOnlySpan<T> image, int channels, ConvGeometry g, Span<T> columns, int planeSize, int channelColumns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* imagePointer = image)
        fixed (T* columnsPointer = columns)
        {
            nint source = (nint)imagePointer, destination = (nint)columnsPointer;
            PlaneParallel.For(channels, c => UnfoldChannel(
                new ReadOnlySpan<T>((T*)source + (nint)c * planeSize, planeSize),
                g,
                new Span<T>((T*)destination + (nint)c * channelColumns, channelColumns),
                g.OutputPlaneSize));
        }
    }

    /// <summary>
    /// Adds every column entry back onto the image position it was read from: the adjoint of
    /// <see cref="Im2Col{T}"/>, so overlapping windows sum and padding entries are dropped.
    /// </summary>
    /// <param name="columns">Gradient with respect to the columns, <c>[C·kh·kw, OH·OW]</c>.</param>
    /// <param name="channels">C.</param>
    /// <param name="g">The window geometry.</param>
    /// <param name="imageGradient">Gradient with respect to one sample, <c>[C, H, W]</c>; accumulated into (<c>+=</c>).</param>
    public static void Col2Im<T>(ReadOnlySpan<T> columns, int channels, ConvGeometry g, Span<T> imageGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int columnRows = CheckShapes(imageGradient.Length, channels, g, columns.Length, nameof(imageGradient), nameof(columns));
        int planeSize = g.InputPlaneSize, channelColumns = columnRows / channels * g.OutputPlaneSize;
        if (PlaneParallel.IsWorthIt(channels, columns.Length))
        {
            Col2ImParallel(columns, channels, g, imageGradient, planeSize, channelColumns);
            return;
        }

        for (int c = 0; c < channels; c++)
        {
            FoldChannel(columns.Slice(c * channelColumns, channelColumns), g, imageGradient.Slice(c * planeSize, planeSize));
        }
    }

    private static unsafe void Col2ImParallel<T>(ReadOnlySpan<T> columns, int channels, ConvGeometry g, Span<T> imageGradient, int planeSize, int channelColumns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* columnsPointer = columns)
        fixed (T* gradientPointer = imageGradient)
        {
            nint source = (nint)columnsPointer, destination = (nint)gradientPointer;
            PlaneParallel.For(channels, c => FoldChannel(
                new ReadOnlySpan<T>((T*)source + (nint)c * channelColumns, channelColumns),
                g,
                new Span<T>((T*)destination + (nint)c * planeSize, planeSize)));
        }
    }

    private static int CheckShapes(int imageLength, int channels, ConvGeometry g, int columnsLength, string imageName, string columnsName)
    {
        KernelChecks.RequirePositive(channels, nameof(channels));
        KernelChecks.RequireLength(imageLength, imageName, "[C={0}, H={1}, W={2}]", channels, g.InputHeight, g.InputWidth);
        long columnRows = (long)channels * g.KernelHeight * g.KernelWidth;
        KernelChecks.RequireLength(
            columnsLength, columnsName, "[C·kh·kw={0}·{1}·{2}, OH·OW={3}·{4}]",
            channels, g.KernelHeight, g.KernelWidth, g.OutputHeight, g.OutputWidth);
        return (int)columnRows;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UnfoldChannel<T>(ReadOnlySpan<T> plane, ConvGeometry g, Span<T> rows, int rowStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outputWidth = g.OutputWidth, outputPlane = g.OutputPlaneSize, row = 0;
        for (int i = 0; i < g.KernelHeight; i++)
        {
            int rowOffset = i * g.DilationH - g.PadH;
            var (ohStart, ohEnd) = ConvGeometry.Inside(rowOffset, g.StrideH, g.OutputHeight, g.InputHeight);
            for (int j = 0; j < g.KernelWidth; j++, row++)
            {
                int columnOffset = j * g.DilationW - g.PadW;
                var (owStart, owEnd) = ConvGeometry.Inside(columnOffset, g.StrideW, outputWidth, g.InputWidth);
                Span<T> destination = rows.Slice(row * rowStride, outputPlane);
                destination[..(ohStart * outputWidth)].Clear();
                destination[(ohEnd * outputWidth)..].Clear();
                for (int oh = ohStart; oh < ohEnd; oh++)
                {
                    Span<T> outputRow = destination.Slice(oh * outputWidth, outputWidth);
                    outputRow[..owStart].Clear();
                    outputRow[owEnd..].Clear();
                    ReadOnlySpan<T> inputRow = plane.Slice((oh * g.StrideH + rowOffset) * g.InputWidth, g.InputWidth);
                    int iw = owStart * g.StrideW + columnOffset;
                    if (g.StrideW == 1)
                    {
                        inputRow.Slice(iw, owEnd - owStart).CopyTo(outputRow[owStart..owEnd]);
                        continue;
                    }

                    for (int ow = owStart; ow < owEnd; ow++, iw += g.StrideW)
                    {
                        outputRow[ow] = inputRow[iw];
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FoldChannel<T>(ReadOnlySpan<T> rows, ConvGeometry g, Span<T> plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outputWidth = g.OutputWidth, outputPlane = g.OutputPlaneSize, row = 0;
        for (int i = 0; i < g.KernelHeight; i++)
        {
            int rowOffset = i * g.DilationH - g.PadH;
            var (ohStart, ohEnd) = ConvGeometry.Inside(rowOffset, g.StrideH, g.OutputHeight, g.InputHeight);
            for (int j = 0; j < g.KernelWidth; j++, row++)
            {
                int columnOffset = j * g.DilationW - g.PadW;
                var (owStart, owEnd) = ConvGeometry.Inside(columnOffset, g.StrideW, outputWidth, g.InputWidth);
                if (owStart == owEnd)
                {
                    continue;
                }

                ReadOnlySpan<T> source = rows.Slice(row * outputPlane, outputPlane);
                for (int oh = ohStart; oh < ohEnd; oh++)
                {
                    ReadOnlySpan<T> columnRow = source.Slice(oh * outputWidth + owStart, owEnd - owStart);
                    Span<T> gradientRow = plane.Slice((oh * g.StrideH + rowOffset) * g.InputWidth, g.InputWidth);
                    int iw = owStart * g.StrideW + columnOffset;
                    if (g.StrideW == 1)
                    {
                        Span<T> target = gradientRow.Slice(iw, columnRow.Length);
                        TensorPrimitives.Add(target, columnRow, target);
                        continue;
                    }

                    for (int k = 0; k < columnRow.Length; k++, iw += g.StrideW)
                    {
                        gradientRow[iw] += columnRow[k];
                    }
                }
            }
        }
    }
}

using System.Runtime.CompilerServices;

namespace Backprop.Kernels;

/// <summary>
/// Max (MaxPooling.cs), average (AveragePooling.cs) and global average (GlobalAvgPool.cs) pooling over planes
/// <c>[N·C, H, W]</c>, forward and backward, with PyTorch's semantics (<c>ceil_mode=False</c>). Backward passes add into
/// the input gradient, so overlapping windows (stride &lt; kernel) accumulate; max pooling's overwrites it first, plane
/// by plane. This file holds what the windowed poolings share: the argument checks and the one walk over the windows.
/// </summary>
internal static partial class Pooling
{
    // Spans cannot be captured by the per-plane lambdas, so each kernel pins its buffers once and finds a plane
    // from the pinned addresses; PlaneParallel.Run decides between a serial loop and the workers.

    /// <summary>What one pooling does with the windows of a plane, tap by tap; <see cref="ForEachWindow"/> walks them.</summary>
    private interface IWindowTaps
    {
        /// <summary>
        /// Starts the window of output <paramref name="output"/> with its first tap inside the input, at <paramref name="first"/>
        /// (<c>ih·W + iw</c>); the window has <paramref name="taps"/> taps inside the input.
        /// </summary>
        void Begin(int output, int first, int taps);

        /// <summary>Each later tap inside the input, at <paramref name="position"/>, in row-major window order.</summary>
        void Tap(int position);

        /// <summary>Ends the window of output <paramref name="output"/>, which had <paramref name="taps"/> taps inside the input.</summary>
        void End(int output, int taps);
    }

    /// <summary>
    /// Visits every window of one plane in output order and, in each, the taps that fall inside the input in row-major
    /// order (padding is skipped). Without padding every window lies inside the plane, so no window is clipped. The taps
    /// come by value and write through their pointers, so the compiler keeps their running values in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForEachWindow<TTaps>(ConvGeometry g, TTaps taps)
        where TTaps : struct, IWindowTaps
    {
        int width = g.InputWidth, rowStep = g.DilationH * width, columnStep = g.DilationW;
        bool clipped = g.PadH != 0 || g.PadW != 0;
        for (int oh = 0, o = 0; oh < g.OutputHeight; oh++)
        {
            int top = oh * g.StrideH - g.PadH;
            var (rowStart, rowEnd) = clipped ? ConvGeometry.Inside(top, g.DilationH, g.KernelHeight, g.InputHeight) : (0, g.KernelHeight);
            for (int ow = 0; ow < g.OutputWidth; ow++, o++)
            {
                int left = ow * g.StrideW - g.PadW;
                var (columnStart, columnEnd) = clipped ? ConvGeometry.Inside(left, g.DilationW, g.KernelWidth, width) : (0, g.KernelWidth);
                int origin = top * width + left, count = (rowEnd - rowStart) * (columnEnd - columnStart);
                taps.Begin(o, origin + rowStart * rowStep + columnStart * columnStep, count);
                for (int i = rowStart; i < rowEnd; i++)
                {
                    int row = origin + i * rowStep;
                    for (int j = i == rowStart ? columnStart + 1 : columnStart; j < columnEnd; j++)
                    {
                        taps.Tap(row + j * columnStep);
                    }
                }

                taps.End(o, count);
            }
        }
    }

    private static void CheckPooling(int planes, ConvGeometry g, int inputLength, string inputName, int outputLength, string outputName)
    {
        KernelChecks.RequirePositive(planes, nameof(planes));
        if (g.PadH > g.KernelHeight / 2 || g.PadW > g.KernelWidth / 2)
        {
            throw new ArgumentException(
                $"Pooling padding {g.PadH}x{g.PadW} must be at most half the kernel {g.KernelHeight}x{g.KernelWidth} " +
                $"(PyTorch's rule, so padding never fills a window); geometry: {g}.", nameof(g));
        }

        // Dilation lets a window jump over the whole input even within PyTorch's padding rule; such a
        // window has no maximum and no taps to average, so refuse it rather than emit −∞ or divide by 0.
        if (HasWindowOfPaddingOnly(g.OutputHeight, g.StrideH, g.PadH, g.DilationH, g.KernelHeight, g.InputHeight)
            || HasWindowOfPaddingOnly(g.OutputWidth, g.StrideW, g.PadW, g.DilationW, g.KernelWidth, g.InputWidth))
        {
            throw new ArgumentException(
                $"A pooling window with dilation {g.DilationH}x{g.DilationW} falls entirely in the padding " +
                $"{g.PadH}x{g.PadW}, so it has nothing to pool; geometry: {g}.", nameof(g));
        }

        KernelChecks.RequireLength(inputLength, inputName, "[planes={0}, H={1}, W={2}]", planes, g.InputHeight, g.InputWidth);
        CheckOutputLength(planes, g, outputLength, outputName);
    }

    private static void CheckOutputLength(int planes, ConvGeometry g, int length, string name) =>
        KernelChecks.RequireLength(length, name, "[planes={0}, OH={1}, OW={2}]", planes, g.OutputHeight, g.OutputWidth);

    private static bool HasWindowOfPaddingOnly(int outputs, int stride, int pad, int dilation, int kernel, int input)
    {
        for (int o = 0; o < outputs; o++)
        {
            var (start, end) = ConvGeometry.Inside(o * stride - pad, dilation, kernel, input);
            if (start == end)
            {
                return true;
            }
        }

        return false;
    }
}

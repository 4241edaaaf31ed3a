using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Backprop.Kernels;

/// <summary>
/// Max, average and (in GlobalAvgPool.cs) global average pooling over planes <c>[N·C, H, W]</c>, forward and backward,
/// with PyTorch's semantics (<c>ceil_mode=False</c>). Backward passes add into the input gradient, so overlapping
/// windows (stride &lt; kernel) accumulate; max pooling's overwrites it first, plane by plane.
/// </summary>
internal static partial class Pooling
{
    // Spans cannot be captured by the per-plane lambdas, so each kernel pins its buffers once and rebuilds a
    // plane's spans from the pinned addresses; PlaneParallel.Run decides between a serial loop and the workers.

    /// <summary>
    /// <c>output[p, oh, ow] = max</c> over the window taps inside the input (padding counts as −∞,
    /// so it is never chosen). A NaN wins, as in PyTorch, so a diverged input stays visible; among
    /// equal maxima the first in row-major window order wins.
    /// </summary>
    /// <param name="input"><c>[planes, H, W]</c>.</param>
    /// <param name="planes">N·C.</param>
    /// <param name="g">The window geometry; padding at most half the kernel, as PyTorch requires.</param>
    /// <param name="output">Receives <c>[planes, OH, OW]</c>.</param>
    /// <param name="argMax">Receives, per output, the chosen position within its plane (<c>ih·W + iw</c>).</param>
    public static unsafe void MaxPoolForward<T>(ReadOnlySpan<T> input, int planes, ConvGeometry g, Span<T> output, Span<int> argMax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckPooling(planes, g, input.Length, nameof(input), output.Length, nameof(output));
        CheckOutputLength(planes, g, argMax.Length, nameof(argMax));
        int inPlane = g.InputPlaneSize, outPlane = g.OutputPlaneSize;
        fixed (T* inputPointer = input)
        fixed (T* outputPointer = output)
        fixed (int* argMaxPointer = argMax)
        {
            nint source = (nint)inputPointer, destination = (nint)outputPointer, positions = (nint)argMaxPointer;
            // The work is the input read, not the outputs written: counting outputs kept cnn_train's second pooling
            // (64·16 planes of 14×14, 50 176 outputs) on one core, 127 µs p10 against 68 on two.
            PlaneParallel.Run(planes, input.Length, p => MaxPlane(
                new ReadOnlySpan<T>((T*)source + (nint)p * inPlane, inPlane),
                g,
                new Span<T>((T*)destination + (nint)p * outPlane, outPlane),
                new Span<int>((int*)positions + (nint)p * outPlane, outPlane)));
        }
    }

    /// <summary>
    /// Zeroes each input plane's gradient, then adds each output gradient to the input position
    /// <see cref="MaxPoolForward{T}"/> chose for it; with <paramref name="pooled"/>, only where the pooled value is
    /// positive (the backward pass of ReLU followed by max pooling, computed as pooling followed by ReLU).
    /// </summary>
    /// <remarks>
    /// Clearing each plane on the worker that fills it, rather than the whole gradient beforehand on one thread, keeps
    /// the plane in cache between the two and spreads the clearing over the cores: cnn_train's first pooling layer
    /// (64·8 planes of 28×28, 2 threads, p10 of 350 calls, median of 5 alternated runs) 253 → 223 µs; the whole
    /// backward pass of the step did not move beyond noise (898 → 909 µs).
    /// </remarks>
    /// <param name="outputGradient"><c>[planes, OH, OW]</c>.</param>
    /// <param name="argMax">The positions from the forward pass, <c>[planes, OH, OW]</c>.</param>
    /// <param name="pooled">The (ReLU'd) pooled values, <c>[planes, OH, OW]</c>, or empty to pass every window's gradient.</param>
    /// <param name="planes">N·C.</param>
    /// <param name="g">The geometry of the forward pass.</param>
    /// <param name="inputGradient">Receives <c>[planes, H, W]</c> (overwritten).</param>
    public static unsafe void MaxPoolBackward<T>(
        ReadOnlySpan<T> outputGradient, ReadOnlySpan<int> argMax, ReadOnlySpan<T> pooled, int planes, ConvGeometry g, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckPooling(planes, g, inputGradient.Length, nameof(inputGradient), outputGradient.Length, nameof(outputGradient));
        CheckOutputLength(planes, g, argMax.Length, nameof(argMax));
        if (!pooled.IsEmpty) CheckOutputLength(planes, g, pooled.Length, nameof(pooled));
        int inPlane = g.InputPlaneSize, outPlane = g.OutputPlaneSize;
        fixed (T* gradientPointer = outputGradient)
        fixed (int* argMaxPointer = argMax)
        fixed (T* pooledPointer = pooled)
        fixed (T* inputGradientPointer = inputGradient)
        {
            nint source = (nint)gradientPointer, positions = (nint)argMaxPointer, values = (nint)pooledPointer, destination = (nint)inputGradientPointer;
            PlaneParallel.Run(planes, Math.Max(inputGradient.Length, outputGradient.Length), p =>
            {
                var planeGradient = new Span<T>((T*)destination + (nint)p * inPlane, inPlane);
                planeGradient.Clear();
                ScatterPlane(
                    new ReadOnlySpan<T>((T*)source + (nint)p * outPlane, outPlane),
                    new ReadOnlySpan<int>((int*)positions + (nint)p * outPlane, outPlane),
                    values == 0 ? default : new ReadOnlySpan<T>((T*)values + (nint)p * outPlane, outPlane),
                    planeGradient);
            });
        }
    }

    /// <summary>
    /// <c>output[p, oh, ow]</c> = sum of the window taps inside the input ÷ divisor. With
    /// <paramref name="countIncludePad"/> (PyTorch's default) the divisor is <c>kh·kw</c>: PyTorch
    /// clips it to the padded input, but without ceil mode no window passes the padded edge.
    /// Otherwise it is the number of taps inside the input. Dilation, which PyTorch's AvgPool2d
    /// lacks, spaces the taps as it does for max pooling.
    /// </summary>
    /// <param name="input"><c>[planes, H, W]</c>.</param>
    /// <param name="planes">N·C.</param>
    /// <param name="g">The window geometry; padding at most half the kernel, as PyTorch requires.</param>
    /// <param name="output">Receives <c>[planes, OH, OW]</c>.</param>
    /// <param name="countIncludePad">Whether padding zeros count in the divisor.</param>
    public static unsafe void AvgPoolForward<T>(ReadOnlySpan<T> input, int planes, ConvGeometry g, Span<T> output, bool countIncludePad = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckPooling(planes, g, input.Length, nameof(input), output.Length, nameof(output));
        int inPlane = g.InputPlaneSize, outPlane = g.OutputPlaneSize;
        fixed (T* inputPointer = input)
        fixed (T* outputPointer = output)
        {
            nint source = (nint)inputPointer, destination = (nint)outputPointer;
            PlaneParallel.Run(planes, output.Length, p => AveragePlane(
                new ReadOnlySpan<T>((T*)source + (nint)p * inPlane, inPlane),
                g,
                countIncludePad,
                new Span<T>((T*)destination + (nint)p * outPlane, outPlane)));
        }
    }

    /// <summary>Adds each output gradient ÷ its divisor to every tap of its window inside the input.</summary>
    /// <param name="outputGradient"><c>[planes, OH, OW]</c>.</param>
    /// <param name="planes">N·C.</param>
    /// <param name="g">The geometry of the forward pass.</param>
    /// <param name="inputGradient"><c>[planes, H, W]</c>; accumulated into (<c>+=</c>).</param>
    /// <param name="countIncludePad">As in the forward pass.</param>
    public static unsafe void AvgPoolBackward<T>(ReadOnlySpan<T> outputGradient, int planes, ConvGeometry g, Span<T> inputGradient, bool countIncludePad = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckPooling(planes, g, inputGradient.Length, nameof(inputGradient), outputGradient.Length, nameof(outputGradient));
        int inPlane = g.InputPlaneSize, outPlane = g.OutputPlaneSize;
        fixed (T* gradientPointer = outputGradient)
        fixed (T* inputGradientPointer = inputGradient)
        {
            nint source = (nint)gradientPointer, destination = (nint)inputGradientPointer;
            PlaneParallel.Run(planes, Math.Max(inputGradient.Length, outputGradient.Length), p => SpreadAveragePlane(
                new ReadOnlySpan<T>((T*)source + (nint)p * outPlane, outPlane),
                g,
                countIncludePad,
                new Span<T>((T*)destination + (nint)p * inPlane, inPlane)));
        }
    }

    private static void MaxPlane<T>(ReadOnlySpan<T> plane, ConvGeometry g, Span<T> output, Span<int> argMax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.PadH == 0 && g.PadW == 0 && g.DilationH == 1 && g.DilationW == 1)
        {
            MaxPlaneInside(plane, g, output, argMax);
            return;
        }

        int width = g.InputWidth;
        for (int oh = 0, o = 0; oh < g.OutputHeight; oh++)
        {
            int top = oh * g.StrideH - g.PadH;
            var (iStart, iEnd) = ConvGeometry.Inside(top, g.DilationH, g.KernelHeight, g.InputHeight);
            for (int ow = 0; ow < g.OutputWidth; ow++, o++)
            {
                int left = ow * g.StrideW - g.PadW;
                var (jStart, jEnd) = ConvGeometry.Inside(left, g.DilationW, g.KernelWidth, width);
                T max = T.NegativeInfinity;
                int best = (top + iStart * g.DilationH) * width + left + jStart * g.DilationW;
                for (int i = iStart; i < iEnd; i++)
                {
                    int rowStart = (top + i * g.DilationH) * width + left;
                    for (int j = jStart; j < jEnd; j++)
                    {
                        int position = rowStart + j * g.DilationW;
                        T value = plane[position];
                        if (value > max || T.IsNaN(value))
                        {
                            max = value;
                            best = position;
                        }
                    }
                }

                output[o] = max;
                argMax[o] = best;
            }
        }
    }

    /// <summary>
    /// <see cref="MaxPlane{T}"/> when every window lies inside the plane with adjacent taps (no padding or
    /// dilation, the usual pooling layer): no clipping per window, and the taps are read through a pointer.
    /// Starting from the first tap rather than −∞ chooses the same value and position.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MaxPlaneInside<T>(ReadOnlySpan<T> plane, ConvGeometry g, Span<T> output, Span<int> argMax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = g.InputWidth, kernelHeight = g.KernelHeight, kernelWidth = g.KernelWidth;
        int outputHeight = g.OutputHeight, outputWidth = g.OutputWidth, strideH = g.StrideH, strideW = g.StrideW;
        fixed (T* x = plane)
        fixed (T* y = output)
        fixed (int* chosen = argMax)
        {
            if (kernelHeight == 2 && kernelWidth == 2 && strideH == 2 && strideW == 2)
            {
                MaxPlane2x2(x, width, outputHeight, outputWidth, y, chosen);
                return;
            }

            for (int oh = 0, o = 0; oh < outputHeight; oh++)
            {
                int top = oh * strideH * width;
                for (int ow = 0; ow < outputWidth; ow++, o++)
                {
                    int best = top + (ow * strideW);
                    T max = x[best];
                    for (int i = 0; i < kernelHeight; i++)
                    {
                        int rowStart = top + (i * width) + (ow * strideW);
                        for (int j = i == 0 ? 1 : 0; j < kernelWidth; j++)
                        {
                            T value = x[rowStart + j];
                            if (value > max || T.IsNaN(value))
                            {
                                max = value;
                                best = rowStart + j;
                            }
                        }
                    }

                    y[o] = max;
                    chosen[o] = best;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScatterPlane<T>(ReadOnlySpan<T> outputGradient, ReadOnlySpan<int> argMax, ReadOnlySpan<T> pooled, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (pooled.IsEmpty)
        {
            for (int o = 0; o < outputGradient.Length; o++)
            {
                inputGradient[argMax[o]] += outputGradient[o];
            }

            return;
        }

        // A window that passes nothing would add a zero to a position no passing window chose (its winner was not
        // positive), so skipping it leaves the same bits as ReLU's backward applied after pooling's.
        for (int o = 0; o < outputGradient.Length; o++)
        {
            if (pooled[o] > T.Zero) inputGradient[argMax[o]] += outputGradient[o];
        }
    }

    private static void AveragePlane<T>(ReadOnlySpan<T> plane, ConvGeometry g, bool countIncludePad, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = g.InputWidth;
        T fullWindow = T.CreateChecked(g.KernelHeight * g.KernelWidth);
        for (int oh = 0, o = 0; oh < g.OutputHeight; oh++)
        {
            int top = oh * g.StrideH - g.PadH;
            var (iStart, iEnd) = ConvGeometry.Inside(top, g.DilationH, g.KernelHeight, g.InputHeight);
            for (int ow = 0; ow < g.OutputWidth; ow++, o++)
            {
                int left = ow * g.StrideW - g.PadW;
                var (jStart, jEnd) = ConvGeometry.Inside(left, g.DilationW, g.KernelWidth, width);
                T sum = T.Zero;
                for (int i = iStart; i < iEnd; i++)
                {
                    int rowStart = (top + i * g.DilationH) * width + left;
                    for (int j = jStart; j < jEnd; j++)
                    {
                        sum += plane[rowStart + j * g.DilationW];
                    }
                }

                output[o] = sum / (countIncludePad ? fullWindow : T.CreateChecked((iEnd - iStart) * (jEnd - jStart)));
            }
        }
    }

    private static void SpreadAveragePlane<T>(ReadOnlySpan<T> outputGradient, ConvGeometry g, bool countIncludePad, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = g.InputWidth;
        T fullWindow = T.CreateChecked(g.KernelHeight * g.KernelWidth);
        for (int oh = 0, o = 0; oh < g.OutputHeight; oh++)
        {
            int top = oh * g.StrideH - g.PadH;
            var (iStart, iEnd) = ConvGeometry.Inside(top, g.DilationH, g.KernelHeight, g.InputHeight);
            for (int ow = 0; ow < g.OutputWidth; ow++, o++)
            {
                int left = ow * g.StrideW - g.PadW;
                var (jStart, jEnd) = ConvGeometry.Inside(left, g.DilationW, g.KernelWidth, width);
                T share = outputGradient[o] / (countIncludePad ? fullWindow : T.CreateChecked((iEnd - iStart) * (jEnd - jStart)));
                for (int i = iStart; i < iEnd; i++)
                {
                    int rowStart = (top + i * g.DilationH) * width + left;
                    for (int j = jStart; j < jEnd; j++)
                    {
                        inputGradient[rowStart + j * g.DilationW] += share;
                    }
                }
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

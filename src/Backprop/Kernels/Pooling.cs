using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Kernels;

/// <summary>
/// Max, average and global average pooling over planes <c>[N·C, H, W]</c>, forward and backward,
/// with PyTorch's semantics (<c>ceil_mode=False</c>). Backward passes add into the input gradient,
/// so overlapping windows (stride &lt; kernel) and other branches of the graph accumulate.
/// </summary>
internal static class Pooling
{
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
        if (!PlaneParallel.IsWorthIt(planes, output.Length))
        {
            for (int p = 0; p < planes; p++)
            {
                MaxPlane(input.Slice(p * inPlane, inPlane), g, output.Slice(p * outPlane, outPlane), argMax.Slice(p * outPlane, outPlane));
            }

            return;
        }

        fixed (T* inputPointer = input)
        fixed (T* outputPointer = output)
        fixed (int* argMaxPointer = argMax)
        {
            nint source = (nint)inputPointer, destination = (nint)outputPointer, positions = (nint)argMaxPointer;
            PlaneParallel.For(planes, p => MaxPlane(
                new ReadOnlySpan<T>((T*)source + (nint)p * inPlane, inPlane),
                g,
                new Span<T>((T*)destination + (nint)p * outPlane, outPlane),
                new Span<int>((int*)positions + (nint)p * outPlane, outPlane)));
        }
    }

    /// <summary>Adds each output gradient to the input position <see cref="MaxPoolForward{T}"/> chose for it.</summary>
    /// <param name="outputGradient"><c>[planes, OH, OW]</c>.</param>
    /// <param name="argMax">The positions from the forward pass, <c>[planes, OH, OW]</c>.</param>
    /// <param name="planes">N·C.</param>
    /// <param name="g">The geometry of the forward pass.</param>
    /// <param name="inputGradient"><c>[planes, H, W]</c>; accumulated into (<c>+=</c>).</param>
    public static unsafe void MaxPoolBackward<T>(ReadOnlySpan<T> outputGradient, ReadOnlySpan<int> argMax, int planes, ConvGeometry g, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckPooling(planes, g, inputGradient.Length, nameof(inputGradient), outputGradient.Length, nameof(outputGradient));
        CheckOutputLength(planes, g, argMax.Length, nameof(argMax));
        int inPlane = g.InputPlaneSize, outPlane = g.OutputPlaneSize;
        if (!PlaneParallel.IsWorthIt(planes, Math.Max(inputGradient.Length, outputGradient.Length)))
        {
            for (int p = 0; p < planes; p++)
            {
                ScatterPlane(outputGradient.Slice(p * outPlane, outPlane), argMax.Slice(p * outPlane, outPlane), inputGradient.Slice(p * inPlane, inPlane));
            }

            return;
        }

        fixed (T* gradientPointer = outputGradient)
        fixed (int* argMaxPointer = argMax)
        fixed (T* inputGradientPointer = inputGradient)
        {
            nint source = (nint)gradientPointer, positions = (nint)argMaxPointer, destination = (nint)inputGradientPointer;
            PlaneParallel.For(planes, p => ScatterPlane(
                new ReadOnlySpan<T>((T*)source + (nint)p * outPlane, outPlane),
                new ReadOnlySpan<int>((int*)positions + (nint)p * outPlane, outPlane),
                new Span<T>((T*)destination + (nint)p * inPlane, inPlane)));
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
        if (!PlaneParallel.IsWorthIt(planes, output.Length))
        {
            for (int p = 0; p < planes; p++)
            {
                AveragePlane(input.Slice(p * inPlane, inPlane), g, countIncludePad, output.Slice(p * outPlane, outPlane));
            }

            return;
        }

        fixed (T* inputPointer = input)
        fixed (T* outputPointer = output)
        {
            nint source = (nint)inputPointer, destination = (nint)outputPointer;
            PlaneParallel.For(planes, p => AveragePlane(
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
        if (!PlaneParallel.IsWorthIt(planes, Math.Max(inputGradient.Length, outputGradient.Length)))
        {
            for (int p = 0; p < planes; p++)
            {
                SpreadAveragePlane(outputGradient.Slice(p * outPlane, outPlane), g, countIncludePad, inputGradient.Slice(p * inPlane, inPlane));
            }

            return;
        }

        fixed (T* gradientPointer = outputGradient)
        fixed (T* inputGradientPointer = inputGradient)
        {
            nint source = (nint)gradientPointer, destination = (nint)inputGradientPointer;
            PlaneParallel.For(planes, p => SpreadAveragePlane(
                new ReadOnlySpan<T>((T*)source + (nint)p * outPlane, outPlane),
                g,
                countIncludePad,
                new Span<T>((T*)destination + (nint)p * inPlane, inPlane)));
        }
    }

    /// <summary><c>output[p] = mean(input[p, :])</c>: each plane averaged to one value.</summary>
    /// <param name="input"><c>[planes, planeSize]</c>.</param>
    /// <param name="planes">N·C.</param>
    /// <param name="planeSize">H·W.</param>
    /// <param name="output">Receives <c>[planes]</c>.</param>
    public static unsafe void GlobalAvgPoolForward<T>(ReadOnlySpan<T> input, int planes, int planeSize, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckGlobal(planes, planeSize, input.Length, nameof(input), output.Length, nameof(output));
        T size = T.CreateChecked(planeSize);
        if (!PlaneParallel.IsWorthIt(planes, input.Length))
        {
            for (int p = 0; p < planes; p++)
            {
                output[p] = TensorPrimitives.Sum(input.Slice(p * planeSize, planeSize)) / size;
            }

            return;
        }

        fixed (T* inputPointer = input)
        fixed (T* outputPointer = output)
        {
            nint source = (nint)inputPointer, destination = (nint)outputPointer;
            PlaneParallel.For(planes, p =>
                ((T*)destination)[p] = TensorPrimitives.Sum(new ReadOnlySpan<T>((T*)source + (nint)p * planeSize, planeSize)) / size);
        }
    }

    /// <summary>Adds <c>outputGradient[p] / planeSize</c> to every element of plane <c>p</c>.</summary>
    /// <param name="outputGradient"><c>[planes]</c>.</param>
    /// <param name="planes">N·C.</param>
    /// <param name="planeSize">H·W.</param>
    /// <param name="inputGradient"><c>[planes, planeSize]</c>; accumulated into (<c>+=</c>).</param>
    public static unsafe void GlobalAvgPoolBackward<T>(ReadOnlySpan<T> outputGradient, int planes, int planeSize, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckGlobal(planes, planeSize, inputGradient.Length, nameof(inputGradient), outputGradient.Length, nameof(outputGradient));
        T size = T.CreateChecked(planeSize);
        if (!PlaneParallel.IsWorthIt(planes, inputGradient.Length))
        {
            for (int p = 0; p < planes; p++)
            {
                Span<T> plane = inputGradient.Slice(p * planeSize, planeSize);
                TensorPrimitives.Add(plane, outputGradient[p] / size, plane);
            }

            return;
        }

        fixed (T* gradientPointer = outputGradient)
        fixed (T* inputGradientPointer = inputGradient)
        {
            nint source = (nint)gradientPointer, destination = (nint)inputGradientPointer;
            PlaneParallel.For(planes, p =>
            {
                var plane = new Span<T>((T*)destination + (nint)p * planeSize, planeSize);
                TensorPrimitives.Add(plane, ((T*)source)[p] / size, plane);
            });
        }
    }

    private static void MaxPlane<T>(ReadOnlySpan<T> plane, ConvGeometry g, Span<T> output, Span<int> argMax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
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

    private static void ScatterPlane<T>(ReadOnlySpan<T> outputGradient, ReadOnlySpan<int> argMax, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outputGradient.Length; o++)
        {
            inputGradient[argMax[o]] += outputGradient[o];
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

        KernelChecks.RequireLength(inputLength, (long)planes * g.InputPlaneSize, inputName, $"[planes={planes}, H={g.InputHeight}, W={g.InputWidth}]");
        CheckOutputLength(planes, g, outputLength, outputName);
    }

    private static void CheckOutputLength(int planes, ConvGeometry g, int length, string name) =>
        KernelChecks.RequireLength(length, (long)planes * g.OutputPlaneSize, name, $"[planes={planes}, OH={g.OutputHeight}, OW={g.OutputWidth}]");

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

    private static void CheckGlobal(int planes, int planeSize, int inputLength, string inputName, int outputLength, string outputName)
    {
        KernelChecks.RequirePositive(planes, nameof(planes));
        KernelChecks.RequirePositive(planeSize, nameof(planeSize));
        KernelChecks.RequireLength(inputLength, (long)planes * planeSize, inputName, $"[planes={planes}, H·W={planeSize}]");
        KernelChecks.RequireLength(outputLength, planes, outputName, $"[planes={planes}]");
    }
}

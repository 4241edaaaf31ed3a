using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.Kernels;

/// <summary>Max pooling, forward (value and arg-max of each window) and backward (each gradient to its window's winner).</summary>
internal static partial class Pooling
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
        fixed (T* inputPointer = input)
        fixed (T* outputPointer = output)
        fixed (int* argMaxPointer = argMax)
        {
            nint source = (nint)inputPointer, destination = (nint)outputPointer, positions = (nint)argMaxPointer;
            // Sized by the input it reads, not the outputs it writes: few outputs can still mean much reading.
            PlaneParallel.Run(planes, input.Length, p => MaxPlane(
                (T*)source + (nint)p * inPlane, g, (T*)destination + (nint)p * outPlane, (int*)positions + (nint)p * outPlane));
        }
    }

    /// <summary>
    /// Zeroes each input plane's gradient, then adds each output gradient to the input position
    /// <see cref="MaxPoolForward{T}"/> chose for it; with <paramref name="pooled"/>, only where the pooled value is
    /// positive (the backward pass of ReLU followed by max pooling, computed as pooling followed by ReLU).
    /// </summary>
    /// <remarks>
    /// Each plane is cleared on the worker that fills it, rather than the whole gradient beforehand on one thread, so
    /// the plane stays in cache between the two and the clearing is spread over the cores.
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

    /// <summary>One plane's maxima and their positions; the usual 2×2 window with stride 2 has a kernel of its own.</summary>
    private static unsafe void MaxPlane<T>(T* plane, ConvGeometry g, T* output, int* argMax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.KernelHeight == 2 && g.KernelWidth == 2 && g.StrideH == 2 && g.StrideW == 2
            && g.PadH == 0 && g.PadW == 0 && g.DilationH == 1 && g.DilationW == 1)
        {
            MaxPlane2x2(plane, g.InputWidth, g.OutputHeight, g.OutputWidth, output, argMax);
            return;
        }

        ForEachWindow(g, new MaxTaps<T>(plane, output, argMax));
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

    /// <summary>
    /// The running maximum of a window: a later tap replaces it when greater, or when it is NaN. Starting from the
    /// first tap chooses what starting from −∞ would (a first tap of −∞ or NaN is kept either way), and padding is never a tap.
    /// </summary>
    private unsafe struct MaxTaps<T>(T* plane, T* maxima, int* positions) : IWindowTaps
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private T _max;
        private int _best;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Begin(int output, int first, int taps)
        {
            _max = plane[first];
            _best = first;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Tap(int position)
        {
            T value = plane[position];
            if (value > _max || T.IsNaN(value))
            {
                _max = value;
                _best = position;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void End(int output, int taps)
        {
            maxima[output] = _max;
            positions[output] = _best;
        }
    }
}

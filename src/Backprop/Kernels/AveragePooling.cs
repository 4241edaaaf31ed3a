using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.Kernels;

/// <summary>Average pooling, forward (each window's mean) and backward (each gradient shared among its window's taps).</summary>
internal static partial class Pooling
{
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
            PlaneParallel.Run(planes, output.Length, p =>
                ForEachWindow(g, new SumTaps<T>((T*)source + (nint)p * inPlane, (T*)destination + (nint)p * outPlane, g, countIncludePad)));
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
            PlaneParallel.Run(planes, Math.Max(inputGradient.Length, outputGradient.Length), p =>
                ForEachWindow(g, new ShareTaps<T>((T*)source + (nint)p * outPlane, (T*)destination + (nint)p * inPlane, g, countIncludePad)));
        }
    }

    /// <summary>A window's sum from zero, in tap order (so a window of −0 averages to +0, as the scalar sum gives), divided when the window ends.</summary>
    private unsafe struct SumTaps<T>(T* plane, T* averages, ConvGeometry g, bool countIncludePad) : IWindowTaps
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _fullWindow = T.CreateChecked(g.KernelHeight * g.KernelWidth);
        private T _sum;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Begin(int output, int first, int taps) => _sum = T.Zero + plane[first];

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Tap(int position) => _sum += plane[position];

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void End(int output, int taps) =>
            averages[output] = _sum / (countIncludePad ? _fullWindow : T.CreateChecked(taps));
    }

    /// <summary>An output gradient divided as its average was, then added to each tap of its window.</summary>
    private unsafe struct ShareTaps<T>(T* outputGradient, T* inputGradient, ConvGeometry g, bool countIncludePad) : IWindowTaps
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _fullWindow = T.CreateChecked(g.KernelHeight * g.KernelWidth);
        private T _share;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Begin(int output, int first, int taps)
        {
            _share = outputGradient[output] / (countIncludePad ? _fullWindow : T.CreateChecked(taps));
            inputGradient[first] += _share;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Tap(int position) => inputGradient[position] += _share;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void End(int output, int taps)
        {
        }
    }
}

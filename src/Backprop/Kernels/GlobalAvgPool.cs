using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Kernels;

// Global average pooling: each plane [H·W] of [N·C, H·W] averaged to one value, as the last
// pooling of ResNet-style networks; apart from the windowed poolings because it has no window geometry.
internal static partial class Pooling
{
    /// <summary><c>output[p] = mean(input[p, :])</c>.</summary>
    /// <param name="input"><c>[planes, planeSize]</c>.</param>
    /// <param name="planes">N·C.</param>
    /// <param name="planeSize">H·W.</param>
    /// <param name="output">Receives <c>[planes]</c>.</param>
    public static unsafe void GlobalAvgPoolForward<T>(ReadOnlySpan<T> input, int planes, int planeSize, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckGlobal(planes, planeSize, input.Length, nameof(input), output.Length, nameof(output));
        fixed (T* inputPointer = input)
        fixed (T* outputPointer = output)
        {
            nint source = (nint)inputPointer, destination = (nint)outputPointer;
            PlaneParallel.Run(planes, input.Length, p =>
                ((T*)destination)[p] = Mean(new ReadOnlySpan<T>((T*)source + (nint)p * planeSize, planeSize)));
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
        fixed (T* gradientPointer = outputGradient)
        fixed (T* inputGradientPointer = inputGradient)
        {
            nint source = (nint)gradientPointer, destination = (nint)inputGradientPointer;
            PlaneParallel.Run(planes, inputGradient.Length, p =>
                Spread(((T*)source)[p], new Span<T>((T*)destination + (nint)p * planeSize, planeSize)));
        }
    }

    private static T Mean<T>(ReadOnlySpan<T> plane)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        TensorPrimitives.Sum(plane) / T.CreateChecked(plane.Length);

    private static void Spread<T>(T gradient, Span<T> plane)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        TensorPrimitives.Add(plane, gradient / T.CreateChecked(plane.Length), plane);

    private static void CheckGlobal(int planes, int planeSize, int inputLength, string inputName, int outputLength, string outputName)
    {
        KernelChecks.RequirePositive(planes, nameof(planes));
        KernelChecks.RequirePositive(planeSize, nameof(planeSize));
        KernelChecks.RequireLength(inputLength, inputName, "[planes={0}, H·W={1}]", planes, planeSize);
        KernelChecks.RequireLength(outputLength, outputName, "[planes={0}]", planes);
    }
}

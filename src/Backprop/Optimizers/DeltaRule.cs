using System.Numerics;
using Backprop.Kernels;

namespace Backprop.Optimizers;

/// <summary>
/// Plain SGD's θ ← θ − η·g (no momentum, no weight decay) as one fused pass over the parameter, a large parameter's
/// ranges on the kernel workers: the pass is bound by memory, and several cores move it faster. Each element's
/// arithmetic is the same whichever thread runs its range, so the result does not depend on the thread count.
/// </summary>
internal static class DeltaRule
{
    /// <summary>Elements per range handed to the kernel workers.</summary>
    private const int ChunkLength = 1 << 14;

    /// <summary>θ ← θ − η·g for <paramref name="parameter"/> (its values <paramref name="theta"/>, its gradient <paramref name="gradient"/>).</summary>
    public static void Apply<T>(Tensor parameter, Span<T> theta, ReadOnlySpan<T> gradient, T rate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunks = (theta.Length + ChunkLength - 1) / ChunkLength;
        if (PlaneParallel.IsWorthIt(chunks, theta.Length)) OnWorkers(parameter, rate, chunks);
        else MultiplyAddKernel.Apply(gradient, -rate, theta);
    }

    /// <summary>The update over ranges of <see cref="ChunkLength"/> elements; a method of its own so that only this path allocates the ranges' closure.</summary>
    private static void OnWorkers<T>(Tensor parameter, T rate, int chunks)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var theta = parameter.Segment<T>();
        var g = parameter.Grad!.Segment<T>();
        int length = parameter.Length;
        PlaneParallel.For(chunks, chunk =>
        {
            int start = chunk * ChunkLength, count = Math.Min(ChunkLength, length - start);
            MultiplyAddKernel.Apply(g.AsSpan(start, count), -rate, theta.AsSpan(start, count));
        });
    }
}

using System.Numerics;
using Backprop.Ops;
using Backprop.Tensors;

namespace Backprop;

/// <summary>An element-wise function y = f(x) with its derivative, applied to whole spans.</summary>
internal interface IUnaryFunction
{
    static abstract string Name { get; }

    /// <summary>y = f(x).</summary>
    static abstract void Forward<T>(ReadOnlySpan<T> x, Span<T> y, double parameter) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>gx = gy · f′(x), where f′ may be expressed through x or through y = f(x).</summary>
    static abstract void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gy, Span<T> gx, double parameter) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>An element-wise binary operator on spans, with the scalar-operand forms broadcasting needs.</summary>
internal interface IBinaryOperator
{
    static abstract void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> result) where T : unmanaged, IFloatingPointIeee754<T>;
    static abstract void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> result) where T : unmanaged, IFloatingPointIeee754<T>;
    static abstract void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> result) where T : unmanaged, IFloatingPointIeee754<T>;
}

public sealed partial class Tensor
{
    /// <summary>Applies an element-wise function and records its derivative rule.</summary>
    internal Tensor Unary<TFunction>(double parameter = 0) where TFunction : IUnaryFunction
    {
        var result = Uninitialized(DType, Dims);
        if (DType == DType.Float32) TFunction.Forward(Span<float>(), result.Span<float>(), parameter);
        else TFunction.Forward(Span<double>(), result.Span<double>(), parameter);
        var input = this;
        return Record(result, TFunction.Name, [this], gy =>
        {
            var gx = Uninitialized(input.DType, input.Dims);
            if (input.DType == DType.Float32)
                TFunction.Backward(input.Span<float>(), result.Span<float>(), gy.Span<float>(), gx.Span<float>(), parameter);
            else
                TFunction.Backward(input.Span<double>(), result.Span<double>(), gy.Span<double>(), gx.Span<double>(), parameter);
            input.AccumulateGradient(gx);
        });
    }

    /// <summary>A tensor of zeros for an operation's result, from the open training step's arena if there is one.</summary>
    internal static Tensor Zeroed(DType dtype, int[] dims) => Allocate(dtype, dims, clear: true);

    /// <summary>A tensor whose values are garbage, for results whose every element the caller overwrites.</summary>
    internal static Tensor Uninitialized(DType dtype, int[] dims) => Allocate(dtype, dims, clear: false);

    private static Tensor Allocate(DType dtype, int[] dims, bool clear)
    {
        int count = ShapeMath.ElementCount(dims);
        // Dims shared, not copied: no code writes to a tensor's dims, and callers pass a new array or another tensor's.
        if (StepArena.Open is { } arena) return dtype == DType.Float32 ? InArena<float>(arena, dims, count, clear) : InArena<double>(arena, dims, count, clear);
        Array storage = dtype == DType.Float32
            ? (clear ? new float[count] : GC.AllocateUninitializedArray<float>(count))
            : (clear ? new double[count] : GC.AllocateUninitializedArray<double>(count));
        return new Tensor(storage, dims);
    }

    /// <summary>A tensor over storage the open step's arena lends, its values starting on a cache line.</summary>
    private static Tensor InArena<T>(StepArena arena, int[] dims, int count, bool clear) where T : unmanaged
    {
        var values = arena.Rent<T>(count, clear);
        return new Tensor(values.Array!, dims) { _offset = values.Offset };
    }

    internal void RequireSameDType(string operation, Tensor other)
    {
        if (DType != other.DType)
            throw new ArgumentException($"{operation}: dtypes differ ({DType} and {other.DType}); convert one with ToDType() or Module.To().");
    }

    /// <summary>result = x ∘ y with NumPy broadcasting, vectorised row by row.</summary>
    internal static Tensor Broadcasting<TOperator>(string operation, Tensor x, Tensor y) where TOperator : IBinaryOperator
    {
        x.RequireSameDType(operation, y);
        var dims = ShapeMath.SameShape(x, y) ? x.Dims : ShapeMath.Broadcast(operation, x.Dims, y.Dims);
        var result = Zeroed(x.DType, dims);
        if (x.DType == DType.Float32) BroadcastApply<TOperator, float>(x, y, result);
        else BroadcastApply<TOperator, double>(x, y, result);
        return result;
    }

    private static void BroadcastApply<TOperator, T>(Tensor x, Tensor y, Tensor result)
        where TOperator : IBinaryOperator where T : unmanaged, IFloatingPointIeee754<T>
    {
        var xs = x.Span<T>();
        var ys = y.Span<T>();
        var rs = result.Span<T>();
        if (x.Length == rs.Length && y.Length == rs.Length) { TOperator.Apply(xs, ys, rs); return; }
        if (y.Length == 1 && x.Length == rs.Length) { TOperator.Apply(xs, ys[0], rs); return; }
        if (x.Length == 1 && y.Length == rs.Length) { TOperator.Apply(xs[0], ys, rs); return; }

        var rows = new BroadcastRows(result.Dims, x.Dims, y.Dims);
        int width = rows.Width;
        for (int row = 0; row < rows.Count; row++)
        {
            var (xOffset, yOffset) = rows.Next();
            var target = rs.Slice(row * width, width);
            if (rows.FirstIsScalarPerRow) TOperator.Apply(xs[xOffset], ys.Slice(yOffset, width), target);
            else if (rows.SecondIsScalarPerRow) TOperator.Apply(xs.Slice(xOffset, width), ys[yOffset], target);
            else TOperator.Apply(xs.Slice(xOffset, width), ys.Slice(yOffset, width), target);
        }
    }

    /// <summary>
    /// Sums a gradient over the dimensions that broadcasting expanded, giving the gradient of an operand
    /// of shape <paramref name="dims"/> (the chain rule for a value used many times: the uses add).
    /// </summary>
    internal static Tensor SumToShape(Tensor gradient, int[] dims)
    {
        if (gradient.Dims.AsSpan().SequenceEqual(dims)) return gradient;
        var result = Zeroed(gradient.DType, dims);
        if (gradient.DType == DType.Float32) SumToShape<float>(gradient, result);
        else SumToShape<double>(gradient, result);
        return result;
    }

    private static void SumToShape<T>(Tensor gradient, Tensor result) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var gs = gradient.Span<T>();
        var rs = result.Span<T>();
        if (result.Length == 1) { rs[0] = System.Numerics.Tensors.TensorPrimitives.Sum<T>(gs); return; }
        var rows = new BroadcastRows(gradient.Dims, result.Dims, result.Dims);
        int width = rows.Width;
        for (int row = 0; row < rows.Count; row++)
        {
            var (offset, _) = rows.Next();
            var source = gs.Slice(row * width, width);
            if (rows.FirstIsScalarPerRow) rs[offset] += System.Numerics.Tensors.TensorPrimitives.Sum<T>(source);
            // Plain SGD's kernel with a factor of 1, exact, so each sum is the row's addition: a library call's vector
            // code took milliseconds to compile inside the first training step.
            else Kernels.MultiplyAddKernel.Apply(source, T.One, rs.Slice(offset, width));
        }
    }

    /// <summary>this += other, same shape, outside the graph (gradient accumulation).</summary>
    internal void AddInPlace(Tensor other)
    {
        RequireSameDType("AddInPlace", other);
        if (!ShapeMath.SameShape(this, other))
            throw new ArgumentException($"AddInPlace: shapes {ShapeMath.Format(Dims)} and {ShapeMath.Format(other.Dims)} differ.");
        if (DType == DType.Float32) System.Numerics.Tensors.TensorPrimitives.Add(Span<float>(), other.Span<float>(), Span<float>());
        else System.Numerics.Tensors.TensorPrimitives.Add(Span<double>(), other.Span<double>(), Span<double>());
    }
}

using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>this + other, element-wise with broadcasting. ∂/∂this = 1, ∂/∂other = 1 (summed over broadcast dimensions).</summary>
    public Tensor Add(Tensor other)
    {
        var (a, b) = (this, other);
        var result = Broadcasting<AddOperator>("Add", a, b);
        return Record(result, "Add", [a, b], g =>
        {
            a.AccumulateGradient(SumToShape(g, a.Dims));
            b.AccumulateGradient(SumToShape(g, b.Dims));
        });
    }

    /// <summary>this − other, element-wise with broadcasting. ∂/∂this = 1, ∂/∂other = −1.</summary>
    public Tensor Subtract(Tensor other)
    {
        var (a, b) = (this, other);
        var result = Broadcasting<SubtractOperator>("Subtract", a, b);
        return Record(result, "Subtract", [a, b], g =>
        {
            a.AccumulateGradient(SumToShape(g, a.Dims));
            if (b.RequiresGrad) b.AccumulateGradient(SumToShape(g, b.Dims).Scalar<MultiplyOperator>(-1));
        });
    }

    /// <summary>this · other, element-wise with broadcasting. ∂/∂this = other, ∂/∂other = this.</summary>
    public Tensor Multiply(Tensor other)
    {
        var (a, b) = (this, other);
        var result = Broadcasting<MultiplyOperator>("Multiply", a, b);
        return Record(result, "Multiply", [a, b], g =>
        {
            if (a.RequiresGrad) a.AccumulateGradient(SumToShape(Broadcasting<MultiplyOperator>("Multiply", g, b), a.Dims));
            if (b.RequiresGrad) b.AccumulateGradient(SumToShape(Broadcasting<MultiplyOperator>("Multiply", g, a), b.Dims));
        });
    }

    /// <summary>this / other, element-wise with broadcasting. ∂/∂this = 1/other, ∂/∂other = −this/other².</summary>
    public Tensor Divide(Tensor other)
    {
        var (a, b) = (this, other);
        var result = Broadcasting<DivideOperator>("Divide", a, b);
        return Record(result, "Divide", [a, b], g =>
        {
            if (a.RequiresGrad) a.AccumulateGradient(SumToShape(g.Divide(b), a.Dims));
            if (b.RequiresGrad) b.AccumulateGradient(SumToShape(g.Multiply(result).Divide(b).Negate(), b.Dims));
        });
    }

    /// <summary>−this.</summary>
    public Tensor Negate() => MultiplyScalar(-1);

    /// <summary>this + c for a constant c.</summary>
    public Tensor AddScalar(double value)
    {
        var input = this;
        var result = Scalar<AddOperator>(value);
        return Record(result, "AddScalar", [this], g => input.AccumulateGradient(g));
    }

    /// <summary>c · this for a constant c.</summary>
    public Tensor MultiplyScalar(double value)
    {
        var input = this;
        var result = Scalar<MultiplyOperator>(value);
        return Record(result, "MultiplyScalar", [this], g => input.AccumulateGradient(g.Scalar<MultiplyOperator>(value)));
    }

    /// <summary>this ∘ c with the constant rounded to this tensor's dtype, as a broadcast one-element tensor would hold it.</summary>
    private Tensor Scalar<TOperator>(double value) where TOperator : IBinaryOperator
    {
        var result = Uninitialized(DType, Dims);
        if (DType == DType.Float32) TOperator.Apply(Span<float>(), (float)value, result.Span<float>());
        else TOperator.Apply(Span<double>(), value, result.Span<double>());
        return result;
    }

    /// <summary>Element-wise sum with broadcasting; see <see cref="Add(Tensor)"/>.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);

    /// <summary>Element-wise difference with broadcasting; see <see cref="Subtract(Tensor)"/>.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Subtract(b);

    /// <summary>Element-wise (Hadamard) product with broadcasting; for the matrix product use <see cref="MatMul(Tensor)"/>.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Multiply(b);

    /// <summary>Element-wise quotient with broadcasting; see <see cref="Divide(Tensor)"/>.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Divide(b);

    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => a.Negate();

    /// <summary>Adds a constant to every element.</summary>
    public static Tensor operator +(Tensor a, double c) => a.AddScalar(c);

    /// <summary>Adds a constant to every element.</summary>
    public static Tensor operator +(double c, Tensor a) => a.AddScalar(c);

    /// <summary>Subtracts a constant from every element.</summary>
    public static Tensor operator -(Tensor a, double c) => a.AddScalar(-c);

    /// <summary>c − a, element-wise.</summary>
    public static Tensor operator -(double c, Tensor a) => a.Negate().AddScalar(c);

    /// <summary>Multiplies every element by a constant.</summary>
    public static Tensor operator *(Tensor a, double c) => a.MultiplyScalar(c);

    /// <summary>Multiplies every element by a constant.</summary>
    public static Tensor operator *(double c, Tensor a) => a.MultiplyScalar(c);

    /// <summary>Divides every element by a constant.</summary>
    public static Tensor operator /(Tensor a, double c) => a.MultiplyScalar(1 / c);

    private readonly struct AddOperator : IBinaryOperator
    {
        public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> r) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(x, y, r);
        public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> r) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(x, y, r);
        public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> r) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(y, x, r);
    }

    private readonly struct SubtractOperator : IBinaryOperator
    {
        public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> r) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, r);
        public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> r) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, r);
        public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> r) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, r);
    }

    private readonly struct MultiplyOperator : IBinaryOperator
    {
        public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> r) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, y, r);
        public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> r) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, y, r);
        public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> r) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(y, x, r);
    }

    private readonly struct DivideOperator : IBinaryOperator
    {
        public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> r) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, r);
        public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> r) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, r);
        public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> r) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, r);
    }
}

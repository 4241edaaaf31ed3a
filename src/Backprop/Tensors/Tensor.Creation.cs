using Backprop.Tensors;

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>A float32 tensor holding a copy of <paramref name="values"/>; without a shape it is one-dimensional.</summary>
    /// <exception cref="ArgumentException">The number of values is not the product of the shape.</exception>
    public static Tensor FromArray(float[] values, params int[] shape) => FromValues(values, shape);

    /// <summary>A float64 tensor holding a copy of <paramref name="values"/>; without a shape it is one-dimensional.</summary>
    /// <exception cref="ArgumentException">The number of values is not the product of the shape.</exception>
    public static Tensor FromArray(double[] values, params int[] shape) => FromValues(values, shape);

    private static Tensor FromValues<T>(T[] values, int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        int[] dims = shape.Length == 0 ? [values.Length] : (int[])shape.Clone();
        int count = ShapeMath.ElementCount(dims);
        if (count != values.Length)
            throw new ArgumentException($"FromArray: {values.Length} values do not fill shape {ShapeMath.Format(dims)} ({count} elements).", nameof(values));
        return new Tensor((T[])values.Clone(), dims);
    }

    /// <summary>A one-element tensor of rank 0.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32) => Full(value, dtype);

    /// <summary>A float32 tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => Full(0, DType.Float32, shape);

    /// <summary>A tensor of zeros of the given dtype.</summary>
    public static Tensor Zeros(DType dtype, params int[] shape) => Full(0, dtype, shape);

    /// <summary>A float32 tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1, DType.Float32, shape);

    /// <summary>A tensor of ones of the given dtype.</summary>
    public static Tensor Ones(DType dtype, params int[] shape) => Full(1, dtype, shape);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(double value, DType dtype, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int[] dims = (int[])shape.Clone();
        int count = ShapeMath.ElementCount(dims);
        if (dtype == DType.Float32)
        {
            var data = new float[count];
            if (value != 0) data.AsSpan().Fill((float)value);
            return new Tensor(data, dims);
        }
        else
        {
            var data = new double[count];
            if (value != 0) data.AsSpan().Fill(value);
            return new Tensor(data, dims);
        }
    }

    /// <summary>A tensor of zeros with the shape and dtype of <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like)
    {
        ArgumentNullException.ThrowIfNull(like);
        return Full(0, like.DType, like._dims);
    }

    /// <summary>Values drawn from the normal distribution N(mean, std²) by a generator seeded with <paramref name="seed"/>.</summary>
    public static Tensor RandomNormal(int[] shape, int seed, double mean = 0, double std = 1, DType dtype = DType.Float32) =>
        RandomNormal(shape, new Random(seed), mean, std, dtype);

    /// <summary>Values drawn from N(mean, std²) by <paramref name="random"/> (Box–Muller).</summary>
    public static Tensor RandomNormal(int[] shape, Random random, double mean = 0, double std = 1, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(random);
        if (!(std >= 0)) throw new ArgumentOutOfRangeException(nameof(std), std, "RandomNormal: std must be ≥ 0.");
        var values = new double[ShapeMath.ElementCount(shape)];
        RandomFill.Normal(values, random, mean, std);
        return FromRandom(values, shape, dtype);
    }

    /// <summary>Values drawn uniformly from [low, high) by a generator seeded with <paramref name="seed"/>.</summary>
    public static Tensor RandomUniform(int[] shape, int seed, double low = 0, double high = 1, DType dtype = DType.Float32) =>
        RandomUniform(shape, new Random(seed), low, high, dtype);

    /// <summary>Values drawn uniformly from [low, high) by <paramref name="random"/>.</summary>
    public static Tensor RandomUniform(int[] shape, Random random, double low = 0, double high = 1, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(random);
        if (!(high >= low)) throw new ArgumentOutOfRangeException(nameof(high), high, $"RandomUniform: high must be ≥ low ({low}).");
        var values = new double[ShapeMath.ElementCount(shape)];
        RandomFill.Uniform(values, random, low, high);
        return FromRandom(values, shape, dtype);
    }

    private static Tensor FromRandom(double[] values, int[] shape, DType dtype)
    {
        var tensor = new Tensor(values, (int[])shape.Clone());
        return dtype == DType.Float64 ? tensor : tensor.ToDType(DType.Float32);
    }
}

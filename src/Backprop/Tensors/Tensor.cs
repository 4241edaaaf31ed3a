using System.Numerics;
using Backprop.Tensors;

namespace Backprop;

/// <summary>
/// An n-dimensional array of <see cref="float"/> or <see cref="double"/> values, stored row-major and
/// contiguous, that records the operations applied to it so that <see cref="Backward"/> can compute
/// gradients by the chain rule.
/// </summary>
/// <example>
/// <code>
/// var x = Tensor.FromArray(new double[] { 1, 2, 3 }, 3).RequireGrad();
/// var y = (x * x).Sum();      // y = Σ x²
/// y.Backward();               // x.Grad = 2x = [2, 4, 6]
/// </code>
/// </example>
public sealed partial class Tensor
{
    private readonly int[] _dims;
    private Array _storage;

    // Where the values start in _storage: 0, except in storage whose values start a cache line: parameters moved there
    // (Tensor.Alignment.cs) and the tensors of a training step (StepArena).
    private int _offset;
    private bool _requiresGrad;

    internal Tensor(Array storage, int[] dims)
    {
        _storage = storage;
        _dims = dims;
        Length = ShapeMath.ElementCount(dims);
        DType = storage is double[] ? DType.Float64 : DType.Float32;
        if (storage.Length < Length)
            throw new ArgumentException($"storage of {storage.Length} elements is too small for shape {ShapeMath.Format(dims)}");
    }

    /// <summary>The size of each dimension, outermost first. A copy: changing it changes nothing.</summary>
    public int[] Shape => (int[])_dims.Clone();

    /// <summary>The number of dimensions (0 for a scalar).</summary>
    public int Rank => _dims.Length;

    /// <summary>The number of elements: the product of <see cref="Shape"/>.</summary>
    public int Length { get; }

    /// <summary>The element type.</summary>
    public DType DType { get; private set; }

    internal int[] Dims => _dims;

    internal Array Storage => _storage;

    /// <summary>
    /// Whether operations on this tensor are recorded so gradients can flow to it. Set it on leaves
    /// (parameters, inputs you want gradients for); results of recorded operations have it already.
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (!value && GradFn is not null)
                throw new InvalidOperationException(
                    $"RequiresGrad cannot be turned off on the result of '{GradFn.Operation}'; use Detach() for a copy outside the graph.");
            _requiresGrad = value;
        }
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, for fluent construction.</summary>
    public Tensor RequireGrad(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    private Tensor? _grad;

    // Set by ZeroGrad: the buffer is kept, so steady-state training allocates no gradients, but its values stand
    // for zeros. The next gradient written overwrites it instead of adding, which saves a pass over the buffer.
    private bool _gradIsZero;

    /// <summary>The accumulated gradient of the last <see cref="Backward"/> with respect to this tensor, or null.</summary>
    public Tensor? Grad
    {
        get
        {
            if (_gradIsZero)
            {
                Array.Clear(_grad!._storage, _grad._offset, _grad.Length);
                _gradIsZero = false;
            }
            return _grad;
        }
        set
        {
            _grad = value;
            _gradIsZero = false;
        }
    }

    internal Span<T> Span<T>() where T : unmanaged => ((T[])_storage).AsSpan(_offset, Length);

    /// <summary>The values as a segment of the storage array, for kernels that hand the array to worker threads.</summary>
    internal ArraySegment<T> Segment<T>() where T : unmanaged => new((T[])_storage, _offset, Length);

    /// <summary>The single value of a one-element tensor, as a double.</summary>
    /// <exception cref="InvalidOperationException">The tensor holds more or fewer than one element.</exception>
    public double Item()
    {
        if (Length != 1)
            throw new InvalidOperationException($"Item() needs a tensor of exactly one element; this one has shape {ShapeMath.Format(_dims)} ({Length} elements).");
        return DType == DType.Float32 ? Span<float>()[0] : Span<double>()[0];
    }

    /// <summary>The element at the given index (one coordinate per dimension), as a double.</summary>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public double this[params int[] index]
    {
        get
        {
            int offset = ShapeMath.Offset(_dims, index);
            return DType == DType.Float32 ? Span<float>()[offset] : Span<double>()[offset];
        }
    }

    /// <summary>A copy of the values as float32, row-major.</summary>
    public float[] ToFloatArray() => DType == DType.Float32
        ? Span<float>().ToArray()
        : ConvertTo<double, float>(Span<double>());

    /// <summary>A copy of the values as float64, row-major.</summary>
    public double[] ToDoubleArray() => DType == DType.Float64
        ? Span<double>().ToArray()
        : ConvertTo<float, double>(Span<float>());

    /// <summary>
    /// Overwrites this tensor's values in place with those of <paramref name="source"/> (converted to
    /// this tensor's dtype), e.g. to set known weights. Not recorded by autograd.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public Tensor CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!_dims.AsSpan().SequenceEqual(source._dims))
            throw new ArgumentException($"CopyFrom: source shape {ShapeMath.Format(source._dims)} does not match target shape {ShapeMath.Format(_dims)}.", nameof(source));
        if (DType == DType.Float32)
            (source.DType == DType.Float32 ? source.Span<float>() : ConvertTo<double, float>(source.Span<double>())).CopyTo(Span<float>());
        else
            (source.DType == DType.Float64 ? source.Span<double>() : ConvertTo<float, double>(source.Span<float>())).CopyTo(Span<double>());
        MarkChanged();
        return this;
    }

    /// <summary>
    /// Sets every value in place from <paramref name="values"/>, in row-major order (converted to the tensor's dtype):
    /// a data source refills one batch tensor instead of allocating a new one for every batch.
    /// </summary>
    /// <exception cref="ArgumentException">The number of values differs from the tensor's.</exception>
    public Tensor CopyFrom(ReadOnlySpan<float> values)
    {
        if (values.Length != Length)
            throw new ArgumentException($"CopyFrom: {values.Length} values for a tensor of shape {ShapeMath.Format(_dims)} ({Length} elements).", nameof(values));
        if (DType == DType.Float32) values.CopyTo(Span<float>());
        else ConvertTo<float, double>(values).CopyTo(Span<double>());
        MarkChanged();
        return this;
    }

    /// <summary>A new tensor with the same values converted to <paramref name="dtype"/>, outside the graph.</summary>
    public Tensor ToDType(DType dtype) => dtype == DType.Float32
        ? new Tensor(ToFloatArray(), (int[])_dims.Clone())
        : new Tensor(ToDoubleArray(), (int[])_dims.Clone());

    /// <summary>Converts the storage in place (used by Module.To, as PyTorch's <c>model.double()</c>).</summary>
    internal void ConvertInPlace(DType dtype)
    {
        if (dtype == DType) return;
        _storage = dtype == DType.Float32 ? ToFloatArray() : ToDoubleArray();
        _offset = 0;
        DType = dtype;
        if (_alignedStorage) MoveToAlignedStorage();
        Grad = Grad is null ? null : AsGradient(Grad.ToDType(dtype));
        MarkChanged();
    }

    /// <summary>A new tensor sharing this one's values but outside the graph: no gradient flows through it.</summary>
    public Tensor Detach() => View(_dims);

    /// <summary>A new tensor with a copy of this one's values, outside the graph.</summary>
    public Tensor Clone() => DType == DType.Float32
        ? new Tensor(Span<float>().ToArray(), (int[])_dims.Clone())
        : new Tensor(Span<double>().ToArray(), (int[])_dims.Clone());

    /// <summary>Shape, dtype and (up to 20) values, e.g. <c>Tensor[2, 2] Float64 [0.1, 0.2, 0.3, 0.4]</c>.</summary>
    public override string ToString()
    {
        var values = ToDoubleArray().Take(20).Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture));
        string more = Length > 20 ? ", …" : "";
        return $"Tensor{ShapeMath.Format(_dims)} {DType} [{string.Join(", ", values)}{more}]";
    }

    private static TTo[] ConvertTo<TFrom, TTo>(ReadOnlySpan<TFrom> source)
        where TFrom : unmanaged, INumberBase<TFrom> where TTo : unmanaged, INumberBase<TTo>
    {
        var result = new TTo[source.Length];
        for (int i = 0; i < source.Length; i++) result[i] = TTo.CreateTruncating(source[i]);
        return result;
    }
}

namespace Backprop.Kernels;

/// <summary>
/// One C = op(A)·op(B) problem over pinned memory: the operands as <see cref="Gemm"/> describes them, and optionally a
/// bias added to each row of C and a ReLU applied as each tile is stored (only <see cref="GemmDot"/> applies them).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly unsafe struct GemmOperands<T>(T* a, bool transposeA, T* b, bool transposeB, T* c, int m, int n, int k, bool accumulate, T* bias = null, bool relu = false)
    where T : unmanaged
{
    /// <summary>A, stored m×k row-major, or k×m when <see cref="TransposeA"/>.</summary>
    public T* A { get; } = a;

    /// <summary>Whether A is stored transposed (k×m).</summary>
    public bool TransposeA { get; } = transposeA;

    /// <summary>B, stored k×n row-major, or n×k when <see cref="TransposeB"/>.</summary>
    public T* B { get; } = b;

    /// <summary>Whether B is stored transposed (n×k).</summary>
    public bool TransposeB { get; } = transposeB;

    /// <summary>C, m×n row-major.</summary>
    public T* C { get; } = c;

    /// <summary>Rows of op(A) and of C.</summary>
    public int M { get; } = m;

    /// <summary>Columns of op(B) and of C.</summary>
    public int N { get; } = n;

    /// <summary>The shared dimension, summed over.</summary>
    public int K { get; } = k;

    /// <summary>Whether the product is added to C rather than replacing it.</summary>
    public bool Accumulate { get; } = accumulate;

    /// <summary>n values added to every row of the product (after it, so c = Σ + bias), or null.</summary>
    public T* Bias { get; } = bias;

    /// <summary>Whether each element of C is then replaced by max(0, c), NaN kept.</summary>
    public bool Relu { get; } = relu;
}

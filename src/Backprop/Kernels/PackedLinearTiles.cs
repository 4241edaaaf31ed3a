using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Kernels;

/// <summary>
/// The register tiles of <see cref="PackedLinear"/>: rows of x (row-major, stride k) times panels of a
/// <see cref="PackedWeight"/>, with the bias and ReLU applied to the sums in registers before the one store.
/// </summary>
/// <remarks>
/// Every output element is the same chain in every tile: a sum from zero of fused multiply-adds over k in order,
/// then + bias, then ReLU. Which tile, piece or thread computes an element never changes its bits, and neither does
/// the number of rows in the call.
/// </remarks>
internal static unsafe class PackedLinearTiles
{
    private const int Width = PackedWeight.PanelWidth;

    /// <summary>
    /// 8 rows × 3 panels (48 columns), the panels consecutive in the packed weight: 24 accumulators, three weight vectors
    /// and eight broadcasts per k, 24 multiply-adds for 11 loads where two panels give 16 for 10 (2–3% faster on a Xeon).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows8Panels3(float* x, int k, float* panel, float* bias, bool relu, float* y, int ldy, int columns)
    {
        nint stride = k * Width;
        float* w = panel;
        float* x0 = x, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k, x4 = x3 + k, x5 = x4 + k, x6 = x5 + k, x7 = x6 + k;
        Vector512<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c50 = default, c51 = default, c52 = default;
        Vector512<float> c60 = default, c61 = default, c62 = default, c70 = default, c71 = default, c72 = default;
        // A native-sized counter: an int one is kept twice (as itself and sign-extended for addressing), and the one
        // register more spills a row pointer inside the loop.
        for (nint p = 0, depth = k; p < depth; p++, w += Width)
        {
            var b0 = Vector512.Load(w);
            var b1 = Vector512.Load(w + stride);
            var b2 = Vector512.Load(w + (2 * stride));
            var a = Vector512.Create(x0[p]);
            c00 = Avx512F.FusedMultiplyAdd(a, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(a, b1, c01);
            c02 = Avx512F.FusedMultiplyAdd(a, b2, c02);
            a = Vector512.Create(x1[p]);
            c10 = Avx512F.FusedMultiplyAdd(a, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(a, b1, c11);
            c12 = Avx512F.FusedMultiplyAdd(a, b2, c12);
            a = Vector512.Create(x2[p]);
            c20 = Avx512F.FusedMultiplyAdd(a, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(a, b1, c21);
            c22 = Avx512F.FusedMultiplyAdd(a, b2, c22);
            a = Vector512.Create(x3[p]);
            c30 = Avx512F.FusedMultiplyAdd(a, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(a, b1, c31);
            c32 = Avx512F.FusedMultiplyAdd(a, b2, c32);
            a = Vector512.Create(x4[p]);
            c40 = Avx512F.FusedMultiplyAdd(a, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(a, b1, c41);
            c42 = Avx512F.FusedMultiplyAdd(a, b2, c42);
            a = Vector512.Create(x5[p]);
            c50 = Avx512F.FusedMultiplyAdd(a, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(a, b1, c51);
            c52 = Avx512F.FusedMultiplyAdd(a, b2, c52);
            a = Vector512.Create(x6[p]);
            c60 = Avx512F.FusedMultiplyAdd(a, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(a, b1, c61);
            c62 = Avx512F.FusedMultiplyAdd(a, b2, c62);
            a = Vector512.Create(x7[p]);
            c70 = Avx512F.FusedMultiplyAdd(a, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(a, b1, c71);
            c72 = Avx512F.FusedMultiplyAdd(a, b2, c72);
        }

        float* bias1 = At(bias, Width), bias2 = At(bias, 2 * Width);
        int middle = columns - Width, right = columns - (2 * Width);
        StoreRow3(c00, c01, c02, bias, bias1, bias2, relu, y, columns, middle, right);
        StoreRow3(c10, c11, c12, bias, bias1, bias2, relu, y + ldy, columns, middle, right);
        StoreRow3(c20, c21, c22, bias, bias1, bias2, relu, y + (2 * ldy), columns, middle, right);
        StoreRow3(c30, c31, c32, bias, bias1, bias2, relu, y + (3 * ldy), columns, middle, right);
        StoreRow3(c40, c41, c42, bias, bias1, bias2, relu, y + (4 * ldy), columns, middle, right);
        StoreRow3(c50, c51, c52, bias, bias1, bias2, relu, y + (5 * ldy), columns, middle, right);
        StoreRow3(c60, c61, c62, bias, bias1, bias2, relu, y + (6 * ldy), columns, middle, right);
        StoreRow3(c70, c71, c72, bias, bias1, bias2, relu, y + (7 * ldy), columns, middle, right);
    }

    /// <summary>8 rows × 2 panels (32 columns): 16 accumulators, two weight vectors and eight broadcasts per k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows8Panels2(float* x, int k, float* panel0, float* panel1, float* bias, bool relu, float* y, int ldy, int columns)
    {
        float* x0 = x, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k, x4 = x3 + k, x5 = x4 + k, x6 = x5 + k, x7 = x6 + k;
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        float* w0 = panel0, w1 = panel1;
        for (int p = 0; p < k; p++, w0 += Width, w1 += Width)
        {
            var b0 = Vector512.Load(w0);
            var b1 = Vector512.Load(w1);
            var a = Vector512.Create(x0[p]);
            c00 = Avx512F.FusedMultiplyAdd(a, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(a, b1, c01);
            a = Vector512.Create(x1[p]);
            c10 = Avx512F.FusedMultiplyAdd(a, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(a, b1, c11);
            a = Vector512.Create(x2[p]);
            c20 = Avx512F.FusedMultiplyAdd(a, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(a, b1, c21);
            a = Vector512.Create(x3[p]);
            c30 = Avx512F.FusedMultiplyAdd(a, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(a, b1, c31);
            a = Vector512.Create(x4[p]);
            c40 = Avx512F.FusedMultiplyAdd(a, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(a, b1, c41);
            a = Vector512.Create(x5[p]);
            c50 = Avx512F.FusedMultiplyAdd(a, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(a, b1, c51);
            a = Vector512.Create(x6[p]);
            c60 = Avx512F.FusedMultiplyAdd(a, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(a, b1, c61);
            a = Vector512.Create(x7[p]);
            c70 = Avx512F.FusedMultiplyAdd(a, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(a, b1, c71);
        }

        int right = columns - Width;
        Store(c00, bias, relu, y, columns);
        Store(c01, At(bias, Width), relu, y + Width, right);
        y += ldy;
        Store(c10, bias, relu, y, columns);
        Store(c11, At(bias, Width), relu, y + Width, right);
        y += ldy;
        Store(c20, bias, relu, y, columns);
        Store(c21, At(bias, Width), relu, y + Width, right);
        y += ldy;
        Store(c30, bias, relu, y, columns);
        Store(c31, At(bias, Width), relu, y + Width, right);
        y += ldy;
        Store(c40, bias, relu, y, columns);
        Store(c41, At(bias, Width), relu, y + Width, right);
        y += ldy;
        Store(c50, bias, relu, y, columns);
        Store(c51, At(bias, Width), relu, y + Width, right);
        y += ldy;
        Store(c60, bias, relu, y, columns);
        Store(c61, At(bias, Width), relu, y + Width, right);
        y += ldy;
        Store(c70, bias, relu, y, columns);
        Store(c71, At(bias, Width), relu, y + Width, right);
    }

    /// <summary>8 rows × 1 panel (16 columns), for a range of one panel (a layer of 16 outputs or fewer, or a piece of one panel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows8Panels1(float* x, int k, float* panel, float* bias, bool relu, float* y, int ldy, int columns)
    {
        float* x0 = x, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k, x4 = x3 + k, x5 = x4 + k, x6 = x5 + k, x7 = x6 + k;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        float* w = panel;
        for (int p = 0; p < k; p++, w += Width)
        {
            var b = Vector512.Load(w);
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(x0[p]), b, c0);
            c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(x1[p]), b, c1);
            c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(x2[p]), b, c2);
            c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(x3[p]), b, c3);
            c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(x4[p]), b, c4);
            c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(x5[p]), b, c5);
            c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(x6[p]), b, c6);
            c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(x7[p]), b, c7);
        }

        Store(c0, bias, relu, y, columns);
        Store(c1, bias, relu, y + ldy, columns);
        Store(c2, bias, relu, y + (2 * ldy), columns);
        Store(c3, bias, relu, y + (3 * ldy), columns);
        Store(c4, bias, relu, y + (4 * ldy), columns);
        Store(c5, bias, relu, y + (5 * ldy), columns);
        Store(c6, bias, relu, y + (6 * ldy), columns);
        Store(c7, bias, relu, y + (7 * ldy), columns);
    }

    /// <summary>
    /// 1 row × 4 panels (64 columns): single-sample inference, which streams the whole weight for one row; four
    /// independent sums keep the multiply-adds from waiting on one another.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row1Panels4(float* x, int k, float* panel, float* bias, bool relu, float* y, int columns)
    {
        long stride = (long)k * Width;
        float* w0 = panel, w1 = w0 + stride, w2 = w1 + stride, w3 = w2 + stride;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        for (int p = 0; p < k; p++, w0 += Width, w1 += Width, w2 += Width, w3 += Width)
        {
            var a = Vector512.Create(x[p]);
            c0 = Avx512F.FusedMultiplyAdd(a, Vector512.Load(w0), c0);
            c1 = Avx512F.FusedMultiplyAdd(a, Vector512.Load(w1), c1);
            c2 = Avx512F.FusedMultiplyAdd(a, Vector512.Load(w2), c2);
            c3 = Avx512F.FusedMultiplyAdd(a, Vector512.Load(w3), c3);
        }

        Store(c0, bias, relu, y, columns);
        Store(c1, At(bias, Width), relu, y + Width, columns - Width);
        Store(c2, At(bias, 2 * Width), relu, y + (2 * Width), columns - (2 * Width));
        Store(c3, At(bias, 3 * Width), relu, y + (3 * Width), columns - (3 * Width));
    }

    /// <summary>1 row × 1 panel, for the panels left over after <see cref="Row1Panels4"/>.</summary>
    public static void Row1Panels1(float* x, int k, float* panel, float* bias, bool relu, float* y, int columns) =>
        Store(Row1Panel1Sums(x, panel, 0, k, default), bias, relu, y, columns);

    /// <summary>
    /// The sums of 1 row × 1 panel carried on over inputs [<paramref name="from"/>, <paramref name="to"/>) from
    /// <paramref name="sums"/>: a product taken in two such calls, split at an input, runs the chain of one call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Vector512<float> Row1Panel1Sums(float* x, float* panel, int from, int to, Vector512<float> sums)
    {
        float* w = panel + ((long)from * Width);
        for (int p = from; p < to; p++, w += Width) sums = Avx512F.FusedMultiplyAdd(Vector512.Create(x[p]), Vector512.Load(w), sums);
        return sums;
    }
    /// <summary>One row of a three-panel tile: its sums of columns 0–15, 16–31 and 32–47 as <see cref="Store"/> writes them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow3(Vector512<float> left, Vector512<float> middle, Vector512<float> right, float* bias0, float* bias1, float* bias2, bool relu, float* y, int columns, int middleColumns, int rightColumns)
    {
        Store(left, bias0, relu, y, columns);
        Store(middle, bias1, relu, y + Width, middleColumns);
        Store(right, bias2, relu, y + (2 * Width), rightColumns);
    }

    /// <summary>The bias of a later panel, or null when the layer has none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* At(float* bias, int offset) => bias == null ? null : bias + offset;

    /// <summary>
    /// Writes one vector of sums as the outputs of its <paramref name="columns"/> columns (all 16 when there are more):
    /// + bias (when there is one; adding a zero would turn −0 into +0), then ReLU (IEEE maximum with 0, as the ReLU op:
    /// NaN stays NaN, −0 becomes +0). A partial panel's bias is read and its outputs written under a mask, which
    /// neither reads nor writes past the last column; a call here instead, with the sums live in registers, made the
    /// JIT keep every accumulator on the stack inside the k loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> sum, float* bias, bool relu, float* y, int columns)
    {
        if (columns >= Width)
        {
            if (bias != null) sum += Vector512.Load(bias);
            if (relu) sum = Vector512.Max(sum, Vector512<float>.Zero);
            sum.Store(y);
        }
        else if (columns > 0)
        {
            var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(columns)).AsSingle();
            if (bias != null) sum += Avx512F.MaskLoad(bias, mask, Vector512<float>.Zero);
            if (relu) sum = Vector512.Max(sum, Vector512<float>.Zero);
            Avx512F.MaskStore(y, mask, sum);
        }
    }
}

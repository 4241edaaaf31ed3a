using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Kernels;

/// <summary>
/// y = x·Wᵀ + b, optionally followed by ReLU, for float32 inference: x [m, k] row-major, W packed once
/// (<see cref="PackedWeight"/>), the bias and ReLU applied to each register tile before its only store
/// (<see cref="PackedLinearTiles"/>). Used when no graph is recorded; training keeps <see cref="Gemm"/>.
/// </summary>
/// <remarks>
/// <para>
/// Rows go in tiles of 8 through 48 columns at a time, two to seven rows left over through one zero-padded tile;
/// columns are visited in blocks whose packed weight fits in half of L2, so the block is read from L2 by every row
/// tile while the rows of x stream past it. A last single row (and a single sample) goes through 64 columns at a
/// time over all its panels: it reads the weight once, so blocks would only leave single panels at their ends.
/// </para>
/// <para>
/// Work is split over whole row tiles when there are enough of them, else over panels of columns (single-sample
/// inference, whose cost is reading the weight: two cores read it from two L2 caches). Each output element is
/// computed by the same chain of operations in any split, so results are bit-identical for any thread count, and a
/// row's outputs do not depend on which other rows share its call.
/// </para>
/// </remarks>
internal static unsafe class PackedLinear
{
    /// <summary>Rows per register tile.</summary>
    private const int TileRows = 8;

    /// <summary>Products with fewer multiply-adds stay on the calling thread: handing out a piece costs about as much.</summary>
    private const long ParallelMinWork = 1 << 15;

    /// <summary>
    /// Products with at least this many multiply-adds (a millisecond or more on a core) go out in
    /// <see cref="PiecesPerThread"/> pieces of rows per thread, claimed by whichever thread is free: when the scheduler
    /// gives a thread's core to another process for part of the call, the others take over the rest of its share
    /// instead of waiting for it at the end.
    /// </summary>
    private const long BalancedMinWork = 1L << 26;

    /// <summary>
    /// Pieces per thread for products of <see cref="BalancedMinWork"/> or more. Each piece streams the whole weight
    /// through its core's L2 once, so more pieces cost more reading from L3.
    /// </summary>
    private const int PiecesPerThread = 4;

    /// <summary>Bytes of packed weight per column block: half of a 1 MiB L2, leaving room for the rows of x.</summary>
    private const int BlockBytes = 512 * 1024;

    /// <summary>Whether this machine runs the tiles' 512-bit instructions.</summary>
    public static bool IsSupported => Avx512F.IsSupported;

    /// <summary>As the pointer form, for spans: x holds m rows of k, y m rows of n, the bias n values or none.</summary>
    /// <exception cref="ArgumentException">A span is shorter than its matrix, or the bias is neither empty nor n long.</exception>
    public static void Multiply(ReadOnlySpan<float> x, int m, PackedWeight weight, ReadOnlySpan<float> bias, bool relu, Span<float> y)
    {
        long k = weight.Inputs, n = weight.Outputs;
        if (m < 0 || x.Length < m * k || y.Length < m * n || (bias.Length != 0 && bias.Length != n))
            throw new ArgumentException($"PackedLinear: {m} rows of {k} inputs and {n} outputs do not fit spans of {x.Length}, {y.Length} and a bias of {bias.Length}.");
        fixed (float* px = x, pb = bias, py = y)
        {
            Multiply(px, m, weight, pb, relu, py);
        }
    }

    /// <summary>
    /// Writes y [m, n] = x [m, k]·Wᵀ (+ <paramref name="bias"/> [n] when not null), then ReLU when <paramref name="relu"/>.
    /// </summary>
    public static void Multiply(float* x, int m, PackedWeight weight, float* bias, bool relu, float* y)
    {
        int panels = weight.Panels;
        int rowTiles = m / TileRows;
        bool splitRows = rowTiles >= 2 * Threads.Count;
        int units = splitRows ? rowTiles : panels;
        long work = (long)m * weight.Outputs * weight.Inputs;
        int workers = work < ParallelMinWork ? 1 : Threads.WorkersFor(units);
        if (workers == 1)
        {
            Piece(x, weight, bias, relu, y, 0, m, 0, panels);
            return;
        }

        int pieces = splitRows && work >= BalancedMinWork ? Math.Min(units, PiecesPerThread * workers) : workers;
        Threads.RunJob(new Split(x, m, weight, bias, relu, y, splitRows, units, pieces), workers);
    }

    /// <summary>
    /// One row through two layers, h = x·W1ᵀ (+ b1, ReLU) and then y = h·W2ᵀ (+ b2, ReLU) where W2 is a single panel
    /// (at most 16 outputs): while the workers finish their columns of h, the caller runs the second product's chain
    /// over the columns its own piece computed, and after the join the rest of it. The chain is the one
    /// <see cref="Multiply(float*, int, PackedWeight, float*, bool, float*)"/> runs, so the bits are those of two calls.
    /// </summary>
    /// <remarks>
    /// A single-sample 784-128-10 inference waits about 0.2 µs for the worker's half of the first product (it starts
    /// later, being woken); the second product's chain of 128 dependent multiply-adds takes about 0.14 µs.
    /// </remarks>
    public static void MultiplyRowPair(float* x, PackedWeight first, float* firstBias, bool firstRelu, float* hidden, PackedWeight second, float* secondBias, bool secondRelu, float* y)
    {
        Debug.Assert(second.Panels == 1 && second.Inputs == first.Outputs);
        int workers = (long)first.Outputs * first.Inputs < ParallelMinWork ? 1 : Threads.WorkersFor(first.Panels);
        var pair = new RowPair(x, first, firstBias, firstRelu, hidden, second, workers);
        Threads.RunJob(pair, workers);
        var sums = PackedLinearTiles.Row1Panel1Sums(hidden, second.Panel(0), pair.ChainedInputs, second.Inputs, pair.Sums);
        PackedLinearTiles.Store(sums, secondBias, secondRelu, y, second.Outputs);
    }

    /// <summary>Rows [<paramref name="row0"/>, <paramref name="row1"/>) × panels [<paramref name="panel0"/>, <paramref name="panel1"/>) of y.</summary>
    private static void Piece(float* x, PackedWeight weight, float* bias, bool relu, float* y, int row0, int row1, int panel0, int panel1)
    {
        int k = weight.Inputs, n = weight.Outputs;
        const int width = PackedWeight.PanelWidth;
        int block = Math.Max(3, BlockBytes / (k * width * sizeof(float)) / 3 * 3);
        // Rows that fill no tile but two or more go through one zero-padded tile: cheaper than streaming the weight
        // block once per row. A last single row streams the weight once, without column blocks.
        int single = (row1 - row0) % TileRows == 1 ? row1 - 1 : row1;
        for (int first = panel0, last; first < panel1 && single > row0; first = last)
        {
            // One or two panels left after a block join it rather than make a block of their own: each block streams
            // every row tile past it, and a lone panel's tiles (eight sums a k) run at about half speed.
            last = panel1 - first <= block + 2 ? panel1 : first + block;
            int row = row0;
            for (; row + TileRows <= single; row += TileRows)
            {
                TileRow(x + ((long)row * k), weight, bias, relu, y + ((long)row * n), first, last);
            }

            if (row < single) PaddedTile(x, row, single - row, weight, bias, relu, y, first, last);
        }

        if (single < row1) SingleRow(x + ((long)single * k), weight, bias, relu, y + ((long)single * n), panel0, panel1);
    }

    /// <summary>
    /// Panels [<paramref name="first"/>, <paramref name="last"/>) of one row: the weight is read once whatever the
    /// order, so no column blocking, which would leave single panels (one chain of multiply-adds each, bound by their
    /// latency, not by reading) at the end of every block.
    /// </summary>
    private static void SingleRow(float* input, PackedWeight weight, float* bias, bool relu, float* output, int first, int last)
    {
        int k = weight.Inputs, n = weight.Outputs;
        const int width = PackedWeight.PanelWidth;
        int panel = first;
        for (; panel + 4 <= last; panel += 4)
        {
            int column = panel * width;
            PackedLinearTiles.Row1Panels4(input, k, weight.Panel(panel), Offset(bias, column), relu, output + column, n - column);
        }

        for (; panel < last; panel++)
        {
            int column = panel * width;
            PackedLinearTiles.Row1Panels1(input, k, weight.Panel(panel), Offset(bias, column), relu, output + column, n - column);
        }
    }

    /// <summary>
    /// Rows [<paramref name="row"/>, +<paramref name="rows"/>) (fewer than a tile) through the 8-row tiles: copied into
    /// this thread's zero-padded tile of x, computed into its tile of y, and the valid rows copied out.
    /// </summary>
    private static void PaddedTile(float* x, int row, int rows, PackedWeight weight, float* bias, bool relu, float* y, int first, int last)
    {
        int k = weight.Inputs, n = weight.Outputs;
        const int width = PackedWeight.PanelWidth;
        RemainderTile.ForCurrentThread(k, n, out float* tileX, out float* tileY);
        new ReadOnlySpan<float>(x + ((long)row * k), rows * k).CopyTo(new Span<float>(tileX, rows * k));
        new Span<float>(tileX + ((long)rows * k), (TileRows - rows) * k).Clear();
        TileRow(tileX, weight, bias, relu, tileY, first, last);
        int from = first * width, count = Math.Min(n, last * width) - from;
        for (int r = 0; r < rows; r++)
            new ReadOnlySpan<float>(tileY + ((long)r * n) + from, count).CopyTo(new Span<float>(y + ((long)(row + r) * n) + from, count));
    }

    /// <summary>Panels [<paramref name="first"/>, <paramref name="last"/>) of the 8 rows of y at <paramref name="output"/>, from the 8 rows of x at <paramref name="rows"/>.</summary>
    private static void TileRow(float* rows, PackedWeight weight, float* bias, bool relu, float* output, int first, int last)
    {
        int k = weight.Inputs, n = weight.Outputs;
        const int width = PackedWeight.PanelWidth;
        int panel = first;
        // Three panels at a time; a count one past a multiple of three ends in two pairs, not a lone panel (eight
        // sums a k, too few to hide the multiply-add's latency).
        int count = last - first, triples = count % 3 == 1 && count > 3 ? (count - 4) / 3 : count / 3;
        for (int end = first + (3 * triples); panel < end; panel += 3)
        {
            int column = panel * width;
            PackedLinearTiles.Rows8Panels3(rows, k, weight.Panel(panel), Offset(bias, column), relu, output + column, n, n - column);
        }

        for (; panel + 2 <= last; panel += 2)
        {
            int column = panel * width;
            PackedLinearTiles.Rows8Panels2(rows, k, weight.Panel(panel), weight.Panel(panel + 1), Offset(bias, column), relu, output + column, n, n - column);
        }

        if (panel < last)
        {
            int column = panel * width;
            PackedLinearTiles.Rows8Panels1(rows, k, weight.Panel(panel), Offset(bias, column), relu, output + column, n, n - column);
        }
    }

    private static float* Offset(float* bias, int column) => bias == null ? null : bias + column;

    /// <summary>
    /// One split product: its arguments travel in the job the workers are handed, so a worker reads them with the job
    /// itself rather than from an object the caller has just rewritten (<see cref="KernelJob"/>).
    /// </summary>
    private sealed class Split(float* x, int m, PackedWeight weight, float* bias, bool relu, float* y, bool splitRows, int units, int pieces)
        : KernelJob(pieces)
    {
        protected override void RunPiece(int piece)
        {
            int start = (int)((long)units * piece / Pieces), end = (int)((long)units * (piece + 1) / Pieces);
            if (splitRows)
            {
                int row1 = piece == Pieces - 1 ? m : end * TileRows;
                Piece(x, weight, bias, relu, y, start * TileRows, row1, 0, weight.Panels);
            }
            else
            {
                Piece(x, weight, bias, relu, y, 0, m, start, end);
            }
        }
    }

    /// <summary>
    /// The first product of <see cref="MultiplyRowPair"/> in pieces of panels; piece 0, which the caller runs first,
    /// then starts the second product's chain on the columns it computed.
    /// </summary>
    private sealed class RowPair(float* x, PackedWeight first, float* bias, bool relu, float* hidden, PackedWeight second, int pieces)
        : KernelJob(pieces)
    {
        /// <summary>The second product's sums over its first <see cref="ChainedInputs"/> inputs.</summary>
        public Vector512<float> Sums { get; private set; }

        /// <summary>How many of the second product's inputs (columns of h) piece 0 has taken into <see cref="Sums"/>.</summary>
        public int ChainedInputs { get; private set; }

        protected override void RunPiece(int piece)
        {
            int start = first.Panels * piece / Pieces, end = first.Panels * (piece + 1) / Pieces;
            Piece(x, first, bias, relu, hidden, 0, 1, start, end);
            if (piece != 0) return;
            ChainedInputs = Math.Min(end * PackedWeight.PanelWidth, first.Outputs);
            Sums = PackedLinearTiles.Row1Panel1Sums(hidden, second.Panel(0), 0, ChainedInputs, default);
        }
    }
}

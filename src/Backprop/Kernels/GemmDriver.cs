using System.Runtime.CompilerServices;

namespace Backprop.Kernels;

/// <summary>
/// The cache-blocked loops around a micro-kernel (GotoBLAS/BLIS), for one rectangle of C.
/// </summary>
/// <remarks>
/// Loop order, outermost first: columns of C in blocks of NC; depth in blocks of KC, packing the
/// KC×NC block of op(B) (the size of L2); rows in steps of MR, packing the MR×KC micro-panel of op(A)
/// (sized for L1, where it stays while the B block streams past it); columns in steps of NR, one
/// micro-kernel call per tile. Because C is row-major the vector runs along N, so A's micro-panel is
/// the one reused from L1 and B's block the one streamed from L2 and L3 (BLIS's roles of A and B, swapped).
/// The depth blocks are visited in the same order for every rectangle, and a tile's arithmetic does not
/// depend on where the tile lies, so any split of C into rectangles gives bit-identical results. A row-major B
/// shared by few row panels is not packed: its whole panels are read where they lie (see <see cref="ReadsBInPlace"/>).
/// </remarks>
internal static unsafe class GemmDriver
{
    /// <summary>Bytes of the A micro-panel (MR×KC) kept in the 32 KiB L1 alongside the streaming B panel.</summary>
    private const int PanelABytes = 12 * 1024;

    /// <summary>Bytes of the packed B block (KC×NC): as much as the 1 MiB (per core) L2 holds.</summary>
    /// <remarks>
    /// A micro-kernel call reads 128 bytes of B per 24 vector multiply-adds, little enough to stream from L3, while
    /// every B block costs a fresh packing of A's micro-panels: the larger the block, the fewer times A is packed.
    /// </remarks>
    private const int BlockBBytes = 1024 * 1024;

    /// <summary>At most this many row panels of C read B in place (each reads every B panel once).</summary>
    internal const int InPlaceMaxRowPanels = 16;

    /// <summary>At most this much of B is read in place, its rows strided: more would miss the TLB where a packed block does not.</summary>
    internal const int InPlaceMaxBytes = 1024 * 1024;

    /// <summary>KC: the depth of one block, chosen so the A micro-panel fills <see cref="PanelABytes"/>.</summary>
    public static int DepthBlock<T>(int panelRows)
        where T : unmanaged => Math.Max(16, PanelABytes / (panelRows * sizeof(T)) / 16 * 16);

    /// <summary>NC: the width of one packed B block, a multiple of the micro-kernel's width.</summary>
    public static int ColumnBlock<T>(int depthBlock, int panelColumns)
        where T : unmanaged => Math.Max(1, BlockBBytes / (depthBlock * sizeof(T)) / panelColumns) * panelColumns;

    /// <summary>Computes rows [<paramref name="row0"/>, <paramref name="row1"/>) × columns [<paramref name="column0"/>, <paramref name="column1"/>) of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T, TKernel>(in GemmOperands<T> operands, int row0, int row1, int column0, int column1)
        where T : unmanaged
        where TKernel : IGemmMicroKernel<T>
    {
        int panelRows = TKernel.Rows;
        int panelColumns = TKernel.Columns;
        int depthBlock = DepthBlock<T>(panelRows);
        int columnBlock = ColumnBlock<T>(depthBlock, panelColumns);
        GemmWorkspace<T> workspace = GemmWorkspace<T>.ForCurrentThread(panelRows * depthBlock, depthBlock * columnBlock, panelRows * panelColumns);
        T* packedA = workspace.PackedA;
        T* packedB = workspace.PackedB;
        T* tile = workspace.Tile;
        int n = operands.N;
        bool inPlace = ReadsBInPlace(operands, row1 - row0, panelRows);

        for (int jc = column0; jc < column1; jc += columnBlock)
        {
            int columns = Math.Min(columnBlock, column1 - jc);
            int wholePanels = inPlace ? columns / panelColumns * panelColumns : 0;
            for (int pc = 0; pc < operands.K; pc += depthBlock)
            {
                int depth = Math.Min(depthBlock, operands.K - pc);
                bool add = operands.Accumulate || pc > 0;
                // In place, only the last, narrower panel is packed (zero-padded), at the start of the buffer.
                GemmPacking.PackB(operands, pc, depth, jc + wholePanels, columns - wholePanels, panelColumns, packedB);
                for (int ir = row0; ir < row1; ir += panelRows)
                {
                    int rows = Math.Min(panelRows, row1 - ir);
                    GemmPacking.PackA(operands, ir, rows, pc, depth, panelRows, packedA);
                    T* cRow = operands.C + ((long)ir * n) + jc;
                    for (int jr = 0; jr < columns; jr += panelColumns)
                    {
                        bool whole = jr < wholePanels;
                        T* panelB = whole ? operands.B + ((long)pc * n) + jc + jr : packedB + ((long)(jr - wholePanels) * depth);
                        int strideB = whole ? n : panelColumns;
                        int width = Math.Min(panelColumns, columns - jr);
                        if (rows == panelRows && width == panelColumns)
                        {
                            TKernel.Run(packedA, panelB, strideB, depth, cRow + jr, n, add);
                        }
                        else
                        {
                            TKernel.Run(packedA, panelB, strideB, depth, tile, panelColumns, false);
                            StoreEdge(tile, panelColumns, cRow + jr, n, rows, width, add);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Whether the micro-kernel reads whole panels of a row-major B where they lie instead of from a packed copy: when
    /// few row panels share each B panel, copying B costs more than the copy saves. The MLP's weight gradient gᵀ·x
    /// (C 128×784, depth 64) packed all of x on each thread, 8.7 µs of a 56-70 µs product on two threads (Xeon, 7 December 2026).
    /// </summary>
    /// <remarks>
    /// Rows of B a multiple of 128 bytes apart are packed all the same: a panel read in place then falls on a few sets of
    /// the L1 cache (rows 1 KB apart on 4 of its 64), and N = 256 ran at 127-151 GFLOP/s in place against 160-242 packed.
    /// </remarks>
    private static bool ReadsBInPlace<T>(in GemmOperands<T> operands, int rows, int panelRows)
        where T : unmanaged =>
        !operands.TransposeB && rows <= InPlaceMaxRowPanels * panelRows && (long)operands.K * operands.N * sizeof(T) <= InPlaceMaxBytes
        && operands.N * sizeof(T) % 128 != 0;

    /// <summary>Copies (or adds) the valid corner of a full tile computed into scratch, as the kernel would have.</summary>
    private static void StoreEdge<T>(T* tile, int tileStride, T* c, int rowStride, int rows, int columns, bool add)
        where T : unmanaged
    {
        for (int i = 0; i < rows; i++)
        {
            T* from = tile + (i * tileStride);
            T* to = c + ((long)i * rowStride);
            for (int j = 0; j < columns; j++)
            {
                to[j] = add ? Add(to[j], from[j]) : from[j];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Add<T>(T x, T y)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            float sum = Unsafe.As<T, float>(ref x) + Unsafe.As<T, float>(ref y);
            return Unsafe.As<float, T>(ref sum);
        }

        double total = Unsafe.As<T, double>(ref x) + Unsafe.As<T, double>(ref y);
        return Unsafe.As<double, T>(ref total);
    }
}

/// <summary>
/// One thread's packing buffers, kept for the thread's life so steady-state calls allocate nothing.
/// </summary>
/// <remarks>
/// The storage lives on the pinned object heap, so the pointers stay valid without <c>fixed</c>, and
/// each buffer starts on a 64-byte boundary so the micro-kernel's vector loads never split a cache line.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed unsafe class GemmWorkspace<T>
    where T : unmanaged
{
    [ThreadStatic]
    private static GemmWorkspace<T>? current;

    private readonly T[] storage;
    private readonly int capacityA;
    private readonly int capacityB;
    private readonly int capacityTile;

    private GemmWorkspace(int lengthA, int lengthB, int lengthTile)
    {
        capacityA = CacheLines.RoundUp<T>(lengthA);
        capacityB = CacheLines.RoundUp<T>(lengthB);
        capacityTile = CacheLines.RoundUp<T>(lengthTile);
        storage = CacheLines.Allocate<T>(capacityA + capacityB + capacityTile);
        T* aligned = CacheLines.Start(storage);
        PackedA = aligned;
        PackedB = aligned + capacityA;
        Tile = aligned + capacityA + capacityB;
    }

    /// <summary>Room for the packed A micro-panel.</summary>
    public T* PackedA { get; }

    /// <summary>Room for the packed B block.</summary>
    public T* PackedB { get; }

    /// <summary>Room for one edge tile.</summary>
    public T* Tile { get; }

    /// <summary>This thread's workspace, grown if it is smaller than asked.</summary>
    public static GemmWorkspace<T> ForCurrentThread(int lengthA, int lengthB, int lengthTile)
    {
        GemmWorkspace<T>? workspace = current;
        if (workspace is null || workspace.capacityA < lengthA || workspace.capacityB < lengthB || workspace.capacityTile < lengthTile)
        {
            workspace = new GemmWorkspace<T>(
                Math.Max(lengthA, workspace?.capacityA ?? 0),
                Math.Max(lengthB, workspace?.capacityB ?? 0),
                Math.Max(lengthTile, workspace?.capacityTile ?? 0));
            current = workspace;
        }

        return workspace;
    }
}

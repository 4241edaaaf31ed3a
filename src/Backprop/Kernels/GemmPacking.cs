using System.Runtime.CompilerServices;
namespace Backprop.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous, zero-padded layout the micro-kernels read.
/// </summary>
/// <remarks>
/// Transposition is resolved here, while copying, so the micro-kernel sees one layout for all four
/// cases and no transpose is ever materialised. Padding with zeros lets edge tiles run the same
/// full-size kernel as interior tiles: the extra rows and columns are computed and thrown away.
/// </remarks>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs rows [<paramref name="row"/>, +<paramref name="rows"/>) × depth [<paramref name="depth0"/>,
    /// +<paramref name="depth"/>) of op(A) as <paramref name="panelRows"/> values per k.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(in GemmOperands<T> operands, int row, int rows, int depth0, int depth, int panelRows, T* destination)
        where T : unmanaged
    {
        if (operands.TransposeA)
        {
            // A is stored k×m: each k already holds the panel's rows side by side.
            int stride = operands.M;
            T* source = operands.A + ((long)depth0 * stride) + row;
            for (int p = 0; p < depth; p++)
            {
                T* from = source + ((long)p * stride);
                T* to = destination + (p * panelRows);
                for (int i = 0; i < rows; i++)
                {
                    to[i] = from[i];
                }

                for (int i = rows; i < panelRows; i++)
                {
                    to[i] = default;
                }
            }

            return;
        }

        // One k at a time, the panel's rows side by side: each write is contiguous and the rows are read as parallel
        // streams, where row by row the writes were strided.
        int rowStride = operands.K;
        T* first = operands.A + ((long)row * rowStride) + depth0;
        for (int p = 0; p < depth; p++)
        {
            T* from = first + p;
            T* to = destination + (p * panelRows);
            for (int i = 0; i < rows; i++)
            {
                to[i] = from[(long)i * rowStride];
            }

            for (int i = rows; i < panelRows; i++)
            {
                to[i] = default;
            }
        }
    }

    /// <summary>
    /// Packs depth [<paramref name="depth0"/>, +<paramref name="depth"/>) × columns [<paramref name="column"/>,
    /// +<paramref name="columns"/>) of op(B) as consecutive panels of <paramref name="panelColumns"/>
    /// columns, each holding <paramref name="panelColumns"/> values per k.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(in GemmOperands<T> operands, int depth0, int depth, int column, int columns, int panelColumns, T* destination)
        where T : unmanaged
    {
        for (int panel = 0; panel < columns; panel += panelColumns)
        {
            int width = Math.Min(panelColumns, columns - panel);
            T* to = destination + ((long)panel * depth);
            if (operands.TransposeB)
            {
                PackTransposedBPanel(operands, depth0, depth, column + panel, width, panelColumns, to);
            }
            else
            {
                PackBPanel(operands, depth0, depth, column + panel, width, panelColumns, to);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBPanel<T>(in GemmOperands<T> operands, int depth0, int depth, int column, int width, int panelColumns, T* to)
        where T : unmanaged
    {
        int stride = operands.N;
        T* from = operands.B + ((long)depth0 * stride) + column;
        int bytes = width * sizeof(T);
        for (int p = 0; p < depth; p++)
        {
            Buffer.MemoryCopy(from, to, bytes, bytes);
            for (int j = width; j < panelColumns; j++)
            {
                to[j] = default;
            }

            from += stride;
            to += panelColumns;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTransposedBPanel<T>(in GemmOperands<T> operands, int depth0, int depth, int column, int width, int panelColumns, T* to)
        where T : unmanaged
    {
        // B is stored n×k: each k gathers one value from each of the panel's rows of B and writes them side by side,
        // so the panel is written in order while the `width` rows being read keep their cache lines in L1; scattering
        // each row down the panel instead touched a new line per store.
        int stride = operands.K;
        T* rows = operands.B + ((long)column * stride) + depth0;
        for (int p = 0; p < depth; p++)
        {
            T* from = rows + p;
            T* target = to + ((long)p * panelColumns);
            for (int j = 0; j < width; j++)
            {
                target[j] = from[(long)j * stride];
            }

            for (int j = width; j < panelColumns; j++)
            {
                target[j] = default;
            }
        }
    }
}

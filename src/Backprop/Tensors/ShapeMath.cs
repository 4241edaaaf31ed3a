namespace Backprop.Tensors;

/// <summary>Shape arithmetic shared by the ops: element counts, broadcasting, formatting for errors.</summary>
internal static class ShapeMath
{
    public static int ElementCount(ReadOnlySpan<int> dims)
    {
        long count = 1;
        foreach (int d in dims)
        {
            if (d < 0) throw new ArgumentException($"shape {Format(dims)} has a negative dimension");
            count *= d;
            if (count > Array.MaxLength) throw new ArgumentException($"shape {Format(dims)} has more elements than an array can hold");
        }
        return (int)count;
    }

    public static string Format(ReadOnlySpan<int> dims) => "[" + string.Join(", ", dims.ToArray()) + "]";

    public static bool SameShape(Tensor a, Tensor b) => a.Dims.AsSpan().SequenceEqual(b.Dims);

    /// <summary>The NumPy/PyTorch broadcast of two shapes: aligned from the right, sizes equal or 1.</summary>
    public static int[] Broadcast(string operation, int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{operation}: shapes {Format(a)} and {Format(b)} cannot be broadcast together (dimension {i}: {da} vs {db}).");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>Row-major strides of a shape, with 0 where a dimension of size 1 is broadcast against <paramref name="target"/>.</summary>
    public static int[] BroadcastStrides(int[] dims, int[] target)
    {
        var strides = new int[target.Length];
        int stride = 1;
        for (int i = target.Length - 1, j = dims.Length - 1; i >= 0; i--, j--)
        {
            int d = j >= 0 ? dims[j] : 1;
            strides[i] = d == 1 && target[i] != 1 ? 0 : stride;
            stride *= d;
        }
        return strides;
    }

    public static int Offset(int[] dims, int[] index)
    {
        if (index.Length != dims.Length)
            throw new ArgumentException($"index of {index.Length} coordinates for a tensor of shape {Format(dims)} (rank {dims.Length})");
        int offset = 0;
        for (int i = 0; i < dims.Length; i++)
        {
            if ((uint)index[i] >= (uint)dims[i])
                throw new IndexOutOfRangeException($"index {index[i]} is out of range for dimension {i} of size {dims[i]} in shape {Format(dims)}");
            offset = offset * dims[i] + index[i];
        }
        return offset;
    }

    /// <summary>Resolves a possibly negative axis (−1 is the last) and checks it.</summary>
    public static int Axis(string operation, int axis, int rank)
    {
        int resolved = axis < 0 ? axis + rank : axis;
        if (resolved < 0 || resolved >= rank)
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"{operation}: axis {axis} is out of range for a tensor of rank {rank}.");
        return resolved;
    }
}

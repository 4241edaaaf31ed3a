using Backprop.Tensors;

namespace Backprop.Ops;

/// <summary>
/// Walks the rows (innermost dimension) of a broadcast result, yielding where each row starts in the
/// two operands, so element-wise work runs as whole-row vector operations.
/// </summary>
internal struct BroadcastRows
{
    private readonly int[] _outer;
    private readonly int[] _firstStrides;
    private readonly int[] _secondStrides;
    private readonly int[] _counter;
    private int _firstOffset;
    private int _secondOffset;
    private bool _started;

    public BroadcastRows(int[] resultDims, int[] firstDims, int[] secondDims)
    {
        int rank = Math.Max(resultDims.Length, 1);
        var dims = resultDims.Length == 0 ? [1] : resultDims;
        _firstStrides = ShapeMath.BroadcastStrides(firstDims, dims);
        _secondStrides = ShapeMath.BroadcastStrides(secondDims, dims);
        Width = dims[rank - 1];
        FirstIsScalarPerRow = _firstStrides[rank - 1] == 0 && Width > 1;
        SecondIsScalarPerRow = _secondStrides[rank - 1] == 0 && Width > 1;
        _outer = dims[..^1];
        _counter = new int[_outer.Length];
        Count = Width == 0 ? 0 : ShapeMath.ElementCount(_outer);
    }

    /// <summary>Elements per row: the size of the innermost dimension.</summary>
    public int Width { get; }

    /// <summary>Number of rows.</summary>
    public int Count { get; }

    /// <summary>The first operand is broadcast along the row: one value serves the whole row.</summary>
    public bool FirstIsScalarPerRow { get; }

    /// <summary>The second operand is broadcast along the row.</summary>
    public bool SecondIsScalarPerRow { get; }

    /// <summary>Offsets of the next row's start in the first and second operands.</summary>
    public (int First, int Second) Next()
    {
        if (!_started)
        {
            _started = true;
            return (0, 0);
        }
        for (int axis = _outer.Length - 1; axis >= 0; axis--)
        {
            _counter[axis]++;
            _firstOffset += _firstStrides[axis];
            _secondOffset += _secondStrides[axis];
            if (_counter[axis] < _outer[axis]) break;
            _firstOffset -= _firstStrides[axis] * _outer[axis];
            _secondOffset -= _secondStrides[axis] * _outer[axis];
            _counter[axis] = 0;
        }
        return (_firstOffset, _secondOffset);
    }
}

using System.Runtime.CompilerServices;

namespace Backprop.Kernels;

/// <summary>
/// A dense layer's float32 weight W [outputs, inputs] rearranged once for <see cref="PackedLinear"/>: the outputs in
/// panels of <see cref="PanelWidth"/> columns, each panel holding, for every k, the panel's 16 values W[j, k] side by
/// side (zeros past the last output). A micro-kernel then reads one vector per k per panel, in order, where the
/// row-major weight would need a transposing gather on every call.
/// </summary>
/// <remarks>
/// Packed on first use and kept with the weight (<see cref="Tensor.Packed"/>), tagged with the weight's
/// <see cref="Tensor.Version"/>: any in-place change (an optimiser step, CopyFrom, loading) makes the next call pack
/// afresh. A packed weight never changes after construction, so threads may share it without locks.
/// </remarks>
internal sealed unsafe class PackedWeight
{
    /// <summary>Columns of C per panel: one 512-bit vector of float32.</summary>
    public const int PanelWidth = 16;

    // Pinned, so Data stays valid without fixed; the extra elements let Data start on a cache line.
    private readonly float[] _storage;

    private PackedWeight(Tensor weight, int version)
    {
        Version = version;
        Outputs = weight.Dims[0];
        Inputs = weight.Dims[1];
        Panels = (Outputs + PanelWidth - 1) / PanelWidth;
        _storage = CacheLines.Allocate<float>(Panels * Inputs * PanelWidth);
        Data = CacheLines.Start(_storage);
        Pack(weight.Span<float>());
    }

    /// <summary>The weight version this copy was packed from.</summary>
    public int Version { get; }

    /// <summary>N: rows of W, columns of the layer's output.</summary>
    public int Outputs { get; }

    /// <summary>K: columns of W, the length of each dot product.</summary>
    public int Inputs { get; }

    /// <summary>Number of panels, the last possibly padded with zero columns.</summary>
    public int Panels { get; }

    /// <summary>Panel p starts at <c>Data + p·Inputs·PanelWidth</c>.</summary>
    public float* Data { get; }

    /// <summary>The packed form of <paramref name="weight"/> [outputs, inputs] (float32): the cached one if it is current, else a new one, which is cached.</summary>
    public static PackedWeight Of(Tensor weight)
    {
        int version = weight.Version;
        var packed = weight.Packed;
        if (packed is not null && packed.Version == version && packed.Outputs == weight.Dims[0] && packed.Inputs == weight.Dims[1]) return packed;
        packed = new PackedWeight(weight, version);
        weight.Packed = packed;
        return packed;
    }

    /// <summary>The first element of panel <paramref name="panel"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float* Panel(int panel) => Data + ((long)panel * Inputs * PanelWidth);

    /// <summary>The packed values of panel <paramref name="panel"/>: for each k, its 16 columns.</summary>
    public ReadOnlySpan<float> PanelValues(int panel) => new(Panel(panel), Inputs * PanelWidth);

    private void Pack(ReadOnlySpan<float> weight)
    {
        for (int panel = 0; panel < Panels; panel++)
        {
            float* to = Panel(panel);
            int first = panel * PanelWidth, width = Math.Min(PanelWidth, Outputs - first);
            for (int k = 0; k < Inputs; k++, to += PanelWidth)
            {
                for (int column = 0; column < width; column++) to[column] = weight[((first + column) * Inputs) + k];
                for (int column = width; column < PanelWidth; column++) to[column] = 0;
            }
        }
    }
}

namespace Backprop.NN;

/// <summary>
/// Global average pooling, <c>[N, C, H, W] → [N, C]</c>: the mean of each channel's plane (PyTorch's
/// <c>AdaptiveAvgPool2d(1)</c> then flattening), the usual head of ResNet-style networks. A call to
/// <see cref="Tensor.GlobalAvgPool2d(Tensor)"/>; no parameters.
/// </summary>
/// <example><c>new GlobalAvgPool2d().Forward(x)</c> turns a [64, 16, 7, 7] batch into [64, 16].</example>
public sealed class GlobalAvgPool2d : Module
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not 4-D or is empty; the message names this layer.</exception>
    public override Tensor Forward(Tensor input) => Tensor.GlobalAvgPool2d(input, "GlobalAvgPool2d()");

    /// <summary><c>GlobalAvgPool2d()</c>.</summary>
    public override string ToString() => "GlobalAvgPool2d()";
}

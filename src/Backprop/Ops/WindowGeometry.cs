using Backprop.Kernels;
using Backprop.Tensors;

namespace Backprop;

// Shared by the convolution and pooling ops, so every window op rejects bad geometry with the same words.
public sealed partial class Tensor
{
    /// <summary>
    /// The window geometry of a convolution or pooling over the last two axes of <paramref name="inputDims"/>
    /// ([N, C, H, W]), validated with messages that begin with <paramref name="caller"/>.
    /// </summary>
    internal static ConvGeometry WindowGeometry(
        string caller, int[] inputDims, (int Height, int Width) kernel, (int Height, int Width) stride,
        (int Height, int Width) padding, (int Height, int Width) dilation)
    {
        RequireAtLeast(caller, "kernelSize", kernel, 1);
        RequireAtLeast(caller, "stride", stride, 1);
        RequireAtLeast(caller, "padding", padding, 0);
        RequireAtLeast(caller, "dilation", dilation, 1);
        int height = inputDims[2], width = inputDims[3];
        if (inputDims[0] < 1 || inputDims[1] < 1 || height < 1 || width < 1)
            throw new ArgumentException($"{caller}: the input {ShapeMath.Format(inputDims)} is empty.", "input");
        long extentHeight = (long)dilation.Height * (kernel.Height - 1) + 1, extentWidth = (long)dilation.Width * (kernel.Width - 1) + 1;
        long paddedHeight = height + 2L * padding.Height, paddedWidth = width + 2L * padding.Width;
        if (extentHeight > paddedHeight || extentWidth > paddedWidth)
            throw new ArgumentException(
                $"{caller}: the kernel {kernel.Height}x{kernel.Width} (dilation {dilation.Height}x{dilation.Width}, so it spans " +
                $"{extentHeight}x{extentWidth}) is larger than the padded input {paddedHeight}x{paddedWidth} " +
                $"(input {ShapeMath.Format(inputDims)}, padding {padding.Height}x{padding.Width}).", "input");
        return ConvGeometry.Create(
            height, width, kernel.Height, kernel.Width, stride.Height, stride.Width, padding.Height, padding.Width, dilation.Height, dilation.Width);
    }

    private static void RequireAtLeast(string caller, string name, (int Height, int Width) value, int minimum)
    {
        if (value.Height < minimum || value.Width < minimum)
            throw new ArgumentOutOfRangeException(
                name, value, $"{caller}: {name} must be at least {minimum} along height and width, got {value.Height}x{value.Width}.");
    }
}

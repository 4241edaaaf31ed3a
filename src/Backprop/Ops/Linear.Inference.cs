using Backprop.Kernels;

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>Whether a dense layer's product goes to the inference kernel: float32, nothing recorded, and a machine with its instructions.</summary>
    private static bool UsesInferenceKernel(Tensor input, Tensor weight, Tensor? bias) =>
        input.DType == DType.Float32 && PackedLinear.IsSupported
        && !(IsGradEnabled && (input.RequiresGrad || weight.RequiresGrad || (bias?.RequiresGrad ?? false)));

    /// <summary>
    /// y = f(x·Wᵀ + b) by <see cref="PackedLinear"/> with the weight packed once per weight version; ReLU is applied to
    /// the register tiles, sigmoid and tanh after the product by the element-wise ops' code (so their bits are the ops').
    /// </summary>
    private static Tensor LinearForInference(Tensor input, Tensor weight, Tensor? bias, DenseActivation activation)
    {
        int batch = input.Dims[0];
        var packed = PackedWeight.Of(weight);
        var result = Uninitialized(DType.Float32, [batch, packed.Outputs]);
        PackedLinear.Multiply(input.Span<float>(), batch, packed, bias is null ? default : bias.Span<float>(), activation == DenseActivation.Relu, result.Span<float>());
        if (activation is DenseActivation.Sigmoid or DenseActivation.Tanh) result.ActivateInPlace(activation);
        return result;
    }
}

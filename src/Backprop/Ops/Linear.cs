using Backprop.Tensors;

namespace Backprop;

/// <summary>An element-wise activation a dense layer can apply to its output in the same operation.</summary>
internal enum DenseActivation
{
    /// <summary>The affine map alone.</summary>
    None,

    /// <summary>max(0, z).</summary>
    Relu,

    /// <summary>1/(1 + e⁻ᶻ).</summary>
    Sigmoid,

    /// <summary>tanh z.</summary>
    Tanh,
}

public sealed partial class Tensor
{
    /// <summary>
    /// The affine map of a dense layer, y = x·Wᵀ + b, for x [batch, in], W [out, in] (PyTorch's layout)
    /// and optional b [out]; y is [batch, out]. One fused operation: the weight is never transposed in
    /// memory. Backward: ∂L/∂x = g·W, ∂L/∂W = gᵀ·x, ∂L/∂b = Σ over the batch of g.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit together; the message names them.</exception>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) => Linear(input, weight, bias, DenseActivation.None);

    /// <summary>
    /// y = f(x·Wᵀ + b) as one operation: the bias is written into y, the product added onto it, and f applied
    /// in place, so the pre-activation z is never a tensor of its own. Backward forms ∂L/∂z = g ∘ f′ from y alone
    /// (ReLU: y &gt; 0 exactly where z &gt; 0; σ′ = y(1 − y); tanh′ = 1 − y²), then proceeds as <see cref="Linear(Tensor, Tensor, Tensor?)"/>.
    /// The arithmetic is that of Linear followed by the activation op, so the results are bit-identical.
    /// </summary>
    internal static Tensor Linear(Tensor input, Tensor weight, Tensor? bias, DenseActivation activation)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        input.RequireSameDType("Linear", weight);
        if (weight.Rank != 2)
            throw new ArgumentException($"Linear: weight must be [out, in], got shape {ShapeMath.Format(weight.Dims)}.");
        int outputs = weight.Dims[0], inputs = weight.Dims[1];
        if (input.Rank != 2 || input.Dims[1] != inputs)
            throw new ArgumentException($"Linear: input of shape {ShapeMath.Format(input.Dims)} does not fit weight of shape {ShapeMath.Format(weight.Dims)}: expected [batch, {inputs}].");
        if (bias is not null)
        {
            input.RequireSameDType("Linear", bias);
            if (bias.Rank != 1 || bias.Dims[0] != outputs)
                throw new ArgumentException($"Linear: bias of shape {ShapeMath.Format(bias.Dims)} does not fit weight of shape {ShapeMath.Format(weight.Dims)}: expected [{outputs}].");
        }
        if (UsesInferenceKernel(input, weight, bias)) return LinearForInference(input, weight, bias, activation);
        int batch = input.Dims[0];
        var result = Uninitialized(input.DType, [batch, outputs]);
        if (FusedProduct(input, weight, bias, activation == DenseActivation.Relu, result, batch, outputs, inputs))
        {
            if (activation != DenseActivation.Relu) result.ActivateInPlace(activation);
        }
        else
        {
            if (bias is not null) result.FillRows(bias);
            GemmInto(input, false, weight, true, result, batch, outputs, inputs, accumulate: bias is not null);
            result.ActivateInPlace(activation);
        }

        return IsGradEnabled ? RecordLinear(result, input, weight, bias, activation) : result;
    }

    /// <summary>
    /// Records the dense layer's backward rule; a method of its own so that inference (no recording) does not
    /// allocate the rule's captured variables.
    /// </summary>
    private static Tensor RecordLinear(Tensor result, Tensor input, Tensor weight, Tensor? bias, DenseActivation activation)
    {
        int batch = input.Dims[0], outputs = weight.Dims[0], inputs = weight.Dims[1];
        Tensor[] inputsOfOp = bias is null ? [input, weight] : [input, weight, bias];
        return Record(result, OperationName(activation), inputsOfOp, g =>
        {
            var gz = activation == DenseActivation.None ? g : ActivationGradient(result, g, activation);
            if (input.RequiresGrad) AccumulateProductGradient(input, gz, false, weight, false, batch, inputs, outputs);
            if (weight.RequiresGrad) AccumulateProductGradient(weight, gz, true, input, false, outputs, inputs, batch);
            if (bias is not null && bias.RequiresGrad) bias.AccumulateGradient(SumToShape(gz, bias.Dims));
        });
    }

    /// <summary>
    /// x·Wᵀ with the bias and ReLU applied as the dot-product kernel stores each tile (a batch of up to 128 rows with
    /// 512-bit vectors), instead of a pass writing the bias and one applying ReLU; false when the product takes another kernel.
    /// </summary>
    private static bool FusedProduct(Tensor input, Tensor weight, Tensor? bias, bool relu, Tensor result, int batch, int outputs, int inputs) =>
        result.DType == DType.Float32
            ? Kernels.Gemm.TryMultiplyTransposedWithBias(input.Span<float>(), weight.Span<float>(), bias is null ? default : bias.Span<float>(), relu, result.Span<float>(), batch, outputs, inputs)
            : Kernels.Gemm.TryMultiplyTransposedWithBias(input.Span<double>(), weight.Span<double>(), bias is null ? default : bias.Span<double>(), relu, result.Span<double>(), batch, outputs, inputs);

    private static string OperationName(DenseActivation activation) => activation switch
    {
        DenseActivation.Relu => "Linear+Relu",
        DenseActivation.Sigmoid => "Linear+Sigmoid",
        DenseActivation.Tanh => "Linear+Tanh",
        _ => "Linear",
    };

    /// <summary>Copies a row vector into every row of this matrix.</summary>
    private void FillRows(Tensor row)
    {
        int width = row.Length;
        for (int start = 0; start < Length; start += width)
        {
            if (DType == DType.Float32) row.Span<float>().CopyTo(Span<float>().Slice(start, width));
            else row.Span<double>().CopyTo(Span<double>().Slice(start, width));
        }
    }

    /// <summary>Applies the activation's forward function to this tensor's own values (the element-wise ops' code).</summary>
    private void ActivateInPlace(DenseActivation activation)
    {
        switch (activation)
        {
            case DenseActivation.Relu when DType == DType.Float32: Kernels.ReluKernels.ForwardInPlace(Span<float>()); break;
            case DenseActivation.Relu: Kernels.ReluKernels.ForwardInPlace(Span<double>()); break;
            case DenseActivation.Sigmoid: ActivateInPlace<SigmoidFunction>(); break;
            case DenseActivation.Tanh: ActivateInPlace<TanhFunction>(); break;
        }
    }

    private void ActivateInPlace<TFunction>() where TFunction : IUnaryFunction
    {
        if (DType == DType.Float32) TFunction.Forward<float>(Span<float>(), Span<float>(), 0);
        else TFunction.Forward<double>(Span<double>(), Span<double>(), 0);
    }

    /// <summary>
    /// ∂L/∂z = g ∘ f′(z) from the activation's output y. Each rule reads x only through its sign, and y &gt; 0
    /// exactly where x &gt; 0 for ReLU, so y serves as both arguments.
    /// </summary>
    private static Tensor ActivationGradient(Tensor y, Tensor g, DenseActivation activation) => activation switch
    {
        DenseActivation.Relu => ActivationGradient<ReluFunction>(y, g),
        DenseActivation.Sigmoid => ActivationGradient<SigmoidFunction>(y, g),
        _ => ActivationGradient<TanhFunction>(y, g),
    };

    private static Tensor ActivationGradient<TFunction>(Tensor y, Tensor g) where TFunction : IUnaryFunction
    {
        var gz = Uninitialized(y.DType, y.Dims);
        if (y.DType == DType.Float32) TFunction.Backward<float>(y.Span<float>(), y.Span<float>(), g.Span<float>(), gz.Span<float>(), 0);
        else TFunction.Backward<double>(y.Span<double>(), y.Span<double>(), g.Span<double>(), gz.Span<double>(), 0);
        return gz;
    }
}

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>
    /// The affine map of a dense layer, y = x·Wᵀ + b, for x [batch, in], W [out, in] (PyTorch's layout)
    /// and optional b [out]; y is [batch, out]. One fused operation: the weight is never transposed in
    /// memory. Backward: ∂L/∂x = g·W, ∂L/∂W = gᵀ·x, ∂L/∂b = Σ over the batch of g.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit together; the message names them.</exception>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
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
        int batch = input.Dims[0];
        var result = Empty(input.DType, [batch, outputs]);
        if (bias is not null) result.FillRows(bias);
        GemmInto(input, false, weight, true, result, batch, outputs, inputs, accumulate: bias is not null);

        Tensor[] inputsOfOp = bias is null ? [input, weight] : [input, weight, bias];
        return Record(result, "Linear", inputsOfOp, g =>
        {
            if (input.RequiresGrad)
            {
                var gx = Empty(input.DType, input.Dims);
                GemmInto(g, false, weight, false, gx, batch, inputs, outputs, accumulate: false);
                input.AccumulateGradient(gx);
            }
            if (weight.RequiresGrad)
            {
                var gw = Empty(weight.DType, weight.Dims);
                GemmInto(g, true, input, false, gw, outputs, inputs, batch, accumulate: false);
                weight.AccumulateGradient(gw);
            }
            if (bias is not null && bias.RequiresGrad) bias.AccumulateGradient(SumToShape(g, bias.Dims));
        });
    }

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
}

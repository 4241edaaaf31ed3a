using Backprop.NN;

namespace Backprop.IO;

/// <summary>Batch and layer normalisation as opset-13 ONNX operators.</summary>
internal static class OnnxNormalizationExport
{
    /// <summary>
    /// The inference form y = γ·(x − running μ)/√(running σ² + ε) + β as BatchNormalization (any rank ≥ 2,
    /// channels on axis 1, so [N, C] works as well as [N, C, H, W]); ones and zeros stand in for γ and β
    /// without <c>affine</c>.
    /// </summary>
    /// <exception cref="NotSupportedException">The layer keeps no running statistics, so its evaluation uses each batch's own.</exception>
    public static string BatchNorm(BatchNorm norm, OnnxGraphBuilder graph, string input)
    {
        if (norm.RunningMean is null || norm.RunningVar is null)
            throw new NotSupportedException($"ExportOnnx: {norm} was created with trackRunningStats: false, so it normalises with each batch's statistics even in evaluation; ONNX export writes the inference form, which needs running statistics.");
        string scale = norm.Weight is null ? graph.AddInitializer("onnx_scale", Tensor.Ones(norm.NumFeatures)) : graph.AddInitializer("weight", norm.Weight);
        string shift = norm.Bias is null ? graph.AddInitializer("onnx_shift", Tensor.Zeros(norm.NumFeatures)) : graph.AddInitializer("bias", norm.Bias);
        return graph.AddNode("BatchNormalization",
            [input, scale, shift, graph.AddInitializer("running_mean", norm.RunningMean), graph.AddInitializer("running_var", norm.RunningVar)],
            OnnxAttribute.Float("epsilon", (float)norm.Epsilon));
    }

    /// <summary>
    /// y = (x − μ)/√(σ² + ε) ∘ γ + β over the trailing |D| axes, from ReduceMean, Sub, Mul, Add, Sqrt and
    /// Div: ONNX's own LayerNormalization needs opset 17, and this keeps every file at opset 13.
    /// </summary>
    public static string LayerNorm(LayerNorm norm, OnnxGraphBuilder graph, string input)
    {
        int rank = norm.NormalizedShape.Length;
        var axes = OnnxAttribute.Ints("axes", [.. Enumerable.Range(-rank, rank).Select(axis => (long)axis)]);
        string centred = graph.AddNode("Sub", [input, graph.AddNode("ReduceMean", [input], axes, OnnxAttribute.Int("keepdims", 1))]);
        string variance = graph.AddNode("ReduceMean", [graph.AddNode("Mul", [centred, centred])], axes, OnnxAttribute.Int("keepdims", 1));
        string output = graph.AddNode("Div", [centred, graph.AddNode("Sqrt", [graph.AddNode("Add", [variance, graph.AddConstant(norm.Epsilon)])])]);
        if (norm.Weight is not null) output = graph.AddNode("Mul", [output, graph.AddInitializer("weight", norm.Weight)]);
        if (norm.Bias is not null) output = graph.AddNode("Add", [output, graph.AddInitializer("bias", norm.Bias)]);
        return output;
    }
}

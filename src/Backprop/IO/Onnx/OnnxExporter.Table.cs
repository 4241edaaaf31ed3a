using Backprop.Data;
using Backprop.IO.Onnx.Proto;
using Google.Protobuf;
using Module = Backprop.NN.Module;

namespace Backprop.IO;

public static partial class OnnxExporter
{
    /// <summary>The domain of the ONNX-ML operators (Imputer, OneHotEncoder), which ONNX Runtime runs.</summary>
    public const string MlDomain = "ai.onnx.ml";

    /// <summary>
    /// Writes a model trained on a table together with its preprocessing, so the file takes raw values: input
    /// <c>"numeric"</c> (float [batch, numeric columns], NaN for a missing cell) and input <c>"categorical"</c> (string
    /// [batch, categorical columns], "" or a missing-value marker for a missing cell), each in
    /// <see cref="TablePreprocessor.InputColumns"/> order and present only when the table has such columns. The graph
    /// imputes (ai.onnx.ml Imputer; a categorical cell's most frequent value through its one-hot), scales (Sub, Div),
    /// one-hot encodes (ai.onnx.ml OneHotEncoder, an unknown value to "other"), adds the missing indicators, runs the
    /// network, and for regression turns the output back into the target's units. Output <c>"output"</c>: logits (or
    /// scores) per class, or the predicted value.
    /// </summary>
    /// <returns>What the graph does not do and the caller must: one line each (e.g. numbers in a categorical column must be written in canonical form).</returns>
    /// <exception cref="NotSupportedException">The model is not float32, or a layer has no ONNX export.</exception>
    public static IReadOnlyList<string> ExportTable(Module model, string path, TablePreprocessor preprocessor, ModelDescription? description = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(preprocessor);
        if (model.DType != DType.Float32) throw new NotSupportedException("ExportOnnx: a table's preprocessing is exported for float32 models only.");

        var graph = new GraphProto { Name = model.GetType().Name };
        var builder = new OnnxGraphBuilder(graph, model.DType);
        var (features, numeric, categorical) = OnnxTablePreprocessing.Add(builder, preprocessor);
        string output = ExportModule(model, builder, features);
        if (preprocessor.Task == ModelTask.Regression)
            output = builder.AddNode("Add", [builder.AddNode("Mul", [output, builder.AddConstant(preprocessor.TargetStandardDeviation)]), builder.AddConstant(preprocessor.TargetMean)]);
        graph.Node.Add(new NodeProto { OpType = "Identity", Name = "output_Identity", Input = { output }, Output = { "output" } });
        if (numeric > 0) graph.Input.Add(ValueInfo(OnnxTablePreprocessing.NumericInput, builder.ElementType, [numeric]));
        if (categorical > 0) graph.Input.Add(ValueInfo(OnnxTablePreprocessing.CategoricalInput, (int)TensorProto.Types.DataType.String, [categorical]));
        graph.Output.Add(ValueInfo("output", builder.ElementType, OutputShape(model, [preprocessor.FeatureCount])));

        var onnx = new ModelProto { IrVersion = IrVersionFor(builder.Opset), ProducerName = "Backprop", ProducerVersion = OnnxMetadata.LibraryVersion, Graph = graph };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = builder.Opset });
        if (builder.UsesMlDomain) onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = MlDomain, Version = 1 });
        OnnxMetadata.Write(onnx, description);
        AtomicFile.Write(path, stream => onnx.WriteTo(stream));

        var notes = new List<string>();
        if (numeric > 0) notes.Add("numeric cells go in as float32, a missing one as NaN: text such as \"NA\" must be turned into NaN before the graph");
        if (categorical > 0) notes.Add("categorical cells go in trimmed, and numbers in them in canonical form (\"1\", not \"1.0\"), as backprop reads them");
        return notes;
    }
}
